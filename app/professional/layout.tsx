import type { ReactNode } from "react";
import { AppShell } from "@/components/app-shell";
import { requireAreaUser } from "@/server/auth/page-guard";

export default async function ProfessionalLayout({ children }: { children: ReactNode }) {
  const user = await requireAreaUser("/professional");
  return <AppShell user={user}>{children}</AppShell>;
}
