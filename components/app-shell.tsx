import Link from "next/link";
import type { ReactNode } from "react";
import type { SessionUser } from "@/server/auth";
import { signOut } from "@/server/auth/nextauth";
import { Logo } from "./logo";
import { NotificationBell } from "./notification-bell";

const NAV: Record<SessionUser["role"], { href: string; label: string }[]> = {
  PATIENT: [
    { href: "/patient", label: "My record" },
    { href: "/patient/labs", label: "Labs" },
    { href: "/patient/timeline", label: "Timeline" },
    { href: "/patient/insights", label: "Insights" },
    { href: "/patient/documents", label: "Documents" },
    { href: "/patient/import", label: "Import" },
    { href: "/patient/connected-records", label: "Connected records" },
    { href: "/patient/second-opinions", label: "Second opinions" },
    { href: "/patient/sharing", label: "Sharing" },
    { href: "/patient/access-history", label: "Access history" },
    { href: "/patient/profile", label: "Profile" },
    { href: "/patient/billing", label: "Billing" },
  ],
  PROFESSIONAL: [
    { href: "/professional", label: "My patients" },
    { href: "/professional/cases", label: "Cases" },
    { href: "/professional/earnings", label: "Earnings" },
    { href: "/professional/ehr-organizations", label: "Clinic EHR connections" },
  ],
  ADMIN: [
    { href: "/admin", label: "Dashboard" },
    { href: "/admin/users", label: "Users" },
    { href: "/admin/patients", label: "Patients" },
    { href: "/admin/audit", label: "Audit trail" },
    { href: "/admin/reports", label: "Reports" },
    { href: "/admin/jobs", label: "Jobs" },
    { href: "/admin/errors", label: "Errors" },
    { href: "/admin/ehr-providers", label: "EHR providers" },
    { href: "/admin/security", label: "Security" },
    { href: "/admin/ai", label: "AI usage" },
    { href: "/admin/billing", label: "Billing" },
  ],
};

const ROLE_LABEL: Record<SessionUser["role"], string> = {
  PATIENT: "Patient",
  PROFESSIONAL: "Professional",
  ADMIN: "Administrator",
};

/** The signed-in frame: brand, the role's navigation, who is signed in, sign-out. */
export function AppShell({ user, children }: { user: SessionUser; children: ReactNode }) {
  async function signOutAction() {
    "use server";
    await signOut({ redirectTo: "/" });
  }
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white print:hidden">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-x-6 gap-y-2 px-4 py-3">
          <div className="flex min-w-0 flex-wrap items-center gap-x-8 gap-y-2">
            <Logo href={NAV[user.role][0].href} />
            {/* On a phone the links scroll sideways rather than push the page wider than the screen; wider, they wrap so all show. */}
            <nav aria-label="Main" className="-mx-1 flex max-w-full gap-1 overflow-x-auto px-1 md:flex-wrap md:overflow-visible">
              {NAV[user.role].map((item) => (
                <Link key={item.href} href={item.href} className="whitespace-nowrap rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100">
                  {item.label}
                </Link>
              ))}
            </nav>
          </div>
          {/* Kept on the right when a wide navigation wraps it to its own line: the bell's panel opens leftwards from it. */}
          <div className="ml-auto flex items-center gap-4">
            <NotificationBell />
            <div className="hidden text-right text-sm leading-tight sm:block">
              <p className="font-medium" data-testid="shell-user-name">{user.name}</p>
              <p className="text-xs text-slate-500">{ROLE_LABEL[user.role]}</p>
            </div>
            <form action={signOutAction}>
              <button type="submit" className="rounded-md px-3 py-2 text-sm font-medium text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50">
                Sign out
              </button>
            </form>
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-6xl px-4 py-8 print:p-0">{children}</main>
    </div>
  );
}
