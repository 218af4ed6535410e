import type { Metadata } from "next";
import Link from "next/link";
import { SignUpForm } from "@/components/auth/sign-up-form";

export const metadata: Metadata = { title: "Create your record" };

export default function SignUpPage() {
  return (
    <>
      <h1 className="text-xl font-bold">Create your health record</h1>
      <p className="mt-1 text-sm text-slate-600">
        Already have an account?{" "}
        <Link href="/sign-in" className="font-medium text-brand-700 underline">
          Sign in
        </Link>
        . Healthcare professional?{" "}
        <Link href="/sign-up/professional" className="font-medium text-brand-700 underline">
          Sign up here
        </Link>
        .
      </p>
      <div className="mt-6">
        <SignUpForm kind="patient" />
      </div>
    </>
  );
}
