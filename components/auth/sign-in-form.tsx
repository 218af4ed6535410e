"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";

// Auth.js reports failures as codes; these are the messages a person can act on.
const MESSAGES: Record<string, string> = {
  credentials: "That email and password do not match. Check them and try again.",
  locked:
    "Too many failed sign-in attempts. For your security this account is locked for 15 minutes. Try again later or reset your password.",
  disabled: "This account has been disabled. Contact support if you think this is a mistake.",
  OAuthEmailUnverified: "Your provider did not confirm your email address, so we cannot sign you in with it.",
  AccountDisabled: "This account has been disabled. Contact support if you think this is a mistake.",
};

export function SignInForm({ callbackUrl, initialError, oauthProviders }: {
  callbackUrl?: string;
  initialError?: string;
  oauthProviders: { id: string; name: string }[];
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(initialError ? (MESSAGES[initialError] ?? "Sign-in failed. Please try again.") : null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const result = await signIn("credentials", {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      redirect: false,
    });
    setPending(false);
    if (result?.error) {
      setError(MESSAGES[result.code ?? "credentials"] ?? MESSAGES.credentials);
      return;
    }
    // The home page redirects each role to its own area.
    router.replace(callbackUrl ?? "/home");
    router.refresh();
  }

  return (
    <div className="space-y-6">
      {error && <Alert tone="error">{error}</Alert>}
      <form method="post" onSubmit={onSubmit} className="space-y-4" noValidate>
        <TextField label="Email" name="email" type="email" autoComplete="email" required />
        <TextField label="Password" name="password" type="password" autoComplete="current-password" required />
        <Button type="submit" disabled={pending} className="w-full">
          {pending ? "Signing in…" : "Sign in"}
        </Button>
      </form>
      {oauthProviders.length > 0 && (
        <div className="space-y-2 border-t border-slate-200 pt-4">
          {oauthProviders.map((provider) => (
            <Button
              key={provider.id}
              type="button"
              variant="secondary"
              className="w-full"
              onClick={() => signIn(provider.id, { redirectTo: callbackUrl ?? "/home" })}
            >
              Continue with {provider.name}
            </Button>
          ))}
        </div>
      )}
    </div>
  );
}
