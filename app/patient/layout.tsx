import type { ReactNode } from "react";
import { AppShell } from "@/components/app-shell";
import { requireAreaUser } from "@/server/auth/page-guard";

export default async function PatientLayout({ children }: { children: ReactNode }) {
  const user = await requireAreaUser("/patient");
  return <AppShell user={user}>{children}</AppShell>;
}
