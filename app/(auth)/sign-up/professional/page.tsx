import type { Metadata } from "next";
import Link from "next/link";
import { SignUpForm } from "@/components/auth/sign-up-form";

export const metadata: Metadata = { title: "Professional sign-up" };

export default function ProfessionalSignUpPage() {
  return (
    <>
      <h1 className="text-xl font-bold">Join as a healthcare professional</h1>
      <p className="mt-1 text-sm text-slate-600">
        Review the records patients share with you and give second opinions. Patients?{" "}
        <Link href="/sign-up" className="font-medium text-brand-700 underline">
          Sign up here
        </Link>
        .
      </p>
      <div className="mt-6">
        <SignUpForm kind="professional" />
      </div>
    </>
  );
}
