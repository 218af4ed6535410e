import type { Metadata } from "next";
import { UserManagement } from "@/components/admin/user-management";
import { PageHeader } from "@/components/ui/page-header";
import { requireAreaUser } from "@/server/auth/page-guard";

export const metadata: Metadata = { title: "Users" };

export default async function AdminUsersPage() {
  // The admin's own row offers no disable or role change: another admin does that.
  const admin = await requireAreaUser("/admin");
  return (
    <div className="space-y-8">
      <PageHeader title="Users">
        Every account on HoloVitals: verify professionals, change roles, disable accounts and end sessions. Each change is on the audit trail.
      </PageHeader>
      <UserManagement currentUserId={admin.id} />
    </div>
  );
}
