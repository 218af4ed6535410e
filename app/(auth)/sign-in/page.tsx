import type { Metadata } from "next";
import Link from "next/link";
import { SignInForm } from "@/components/auth/sign-in-form";
import { oauthProviders } from "@/server/auth/nextauth";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const { callbackUrl, error } = await searchParams;
  return (
    <>
      <h1 className="text-xl font-bold">Sign in to HoloVitals</h1>
      <p className="mt-1 text-sm text-slate-600">
        New here?{" "}
        <Link href="/sign-up" className="font-medium text-brand-700 underline">
          Create your record
        </Link>
      </p>
      <div className="mt-6">
        <SignInForm
          callbackUrl={callbackUrl?.startsWith("/") ? callbackUrl : undefined}
          initialError={error}
          oauthProviders={oauthProviders.map(({ id, name }) => ({ id, name }))}
        />
      </div>
    </>
  );
}
