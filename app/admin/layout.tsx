import type { ReactNode } from "react";
import { AppShell } from "@/components/app-shell";
import { requireAreaUser } from "@/server/auth/page-guard";

export default async function AdminLayout({ children }: { children: ReactNode }) {
  const user = await requireAreaUser("/admin");
  return <AppShell user={user}>{children}</AppShell>;
}
