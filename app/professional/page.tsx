import type { Metadata } from "next";
import { Alert } from "@/components/ui/alert";
import { EmptyState } from "@/components/ui/empty-state";
import { requireAreaUser } from "@/server/auth/page-guard";

export const metadata: Metadata = { title: "My patients" };

export default async function ProfessionalHome() {
  const user = await requireAreaUser("/professional");
  if (user.professionalStatus !== "VERIFIED") {
    return (
      <div className="space-y-6">
        <h1 className="text-2xl font-bold">Welcome, {user.name}</h1>
        {user.professionalStatus === "REJECTED" ? (
          <Alert tone="error" title="Your licence could not be verified">
            An administrator could not verify the licence details you gave. Contact support to correct them.
          </Alert>
        ) : (
          <Alert tone="warning" title="Pending verification">
            An administrator is checking your licence. Until it is verified, no patient can share their record with you. You
            can sign in meanwhile; this page updates as soon as you are verified.
          </Alert>
        )}
      </div>
    );
  }
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">My patients</h1>
        <p className="mt-1 text-slate-600">Your licence is verified. Patients who grant you access appear here.</p>
      </div>
      <EmptyState title="No patient has shared their record with you yet">
        When a patient grants you access to their record, or you claim a second-opinion case, they will be listed here with
        what you may see and until when.
      </EmptyState>
    </div>
  );
}
