import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { Logo } from "@/components/logo";
import { homeFor } from "@/server/auth/areas";
import { currentUser } from "@/server/auth/page-guard";

export default async function AuthLayout({ children }: { children: ReactNode }) {
  // Signed in already: straight home. Checked against the database, not the cookie alone,
  // so a session that was ended (account disabled, signed out elsewhere) can sign in again.
  const user = await currentUser();
  if (user) redirect(homeFor(user.role));
  return (
    <div className="flex min-h-screen flex-col items-center justify-center px-4 py-12">
      <div className="mb-8">
        <Logo />
      </div>
      <div className="w-full max-w-md rounded-lg bg-white p-8 shadow-sm ring-1 ring-slate-200">{children}</div>
    </div>
  );
}
