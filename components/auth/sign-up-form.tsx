"use client";

import { useMutation } from "@tanstack/react-query";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import type { FormEvent } from "react";
import { formErrors } from "@/components/form-errors";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";

const MIN_PASSWORD_LENGTH = 12;

/** Sign-up for patients, or for professionals with their licence details; signs the new account in. */
export function SignUpForm({ kind }: { kind: "patient" | "professional" }) {
  const trpc = useTRPC();
  const router = useRouter();
  const patientSignUp = useMutation(trpc.auth.signUp.mutationOptions());
  const professionalSignUp = useMutation(trpc.auth.signUpProfessional.mutationOptions());
  const mutation = kind === "patient" ? patientSignUp : professionalSignUp;
  const { message, fields } = formErrors(mutation.error);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = Object.fromEntries(new FormData(event.currentTarget)) as Record<string, string>;
    const account = { name: form.name, email: form.email, password: form.password };
    try {
      if (kind === "patient") await patientSignUp.mutateAsync(account);
      else
        await professionalSignUp.mutateAsync({
          ...account,
          licenseNumber: form.licenseNumber,
          licenseRegion: form.licenseRegion,
          specialty: form.specialty,
        });
    } catch {
      return; // shown from mutation.error
    }
    await signIn("credentials", { email: account.email, password: account.password, redirect: false });
    router.replace("/home");
    router.refresh();
  }

  return (
    <form method="post" onSubmit={onSubmit} className="space-y-4" noValidate>
      {message && <Alert tone="error">{message}</Alert>}
      <TextField label="Full name" name="name" autoComplete="name" required errors={fields.name} />
      <TextField label="Email" name="email" type="email" autoComplete="email" required errors={fields.email} />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        minLength={MIN_PASSWORD_LENGTH}
        required
        hint={`At least ${MIN_PASSWORD_LENGTH} characters. A short sentence is easy to remember and hard to guess.`}
        errors={fields.password}
      />
      {kind === "professional" && (
        <fieldset className="space-y-4 rounded-md bg-slate-50 p-4 ring-1 ring-slate-200">
          <legend className="px-1 text-sm font-semibold text-slate-800">Your licence</legend>
          <p className="text-xs text-slate-600">
            An administrator checks your licence before any patient data is shared with you.
          </p>
          <TextField label="Licence number" name="licenseNumber" required errors={fields.licenseNumber} />
          <TextField
            label="Issued by (state or country)"
            name="licenseRegion"
            placeholder="e.g. California, US or Germany"
            required
            errors={fields.licenseRegion}
          />
          <TextField label="Specialty" name="specialty" placeholder="e.g. Endocrinology" required errors={fields.specialty} />
        </fieldset>
      )}
      <Button type="submit" disabled={mutation.isPending} className="w-full">
        {mutation.isPending ? "Creating your account…" : kind === "patient" ? "Create my record" : "Create professional account"}
      </Button>
    </form>
  );
}
