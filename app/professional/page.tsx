import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/ui/page-header";
import { DataTable } from "@/components/ui/data-table";
import { headers } from "next/headers";
import { describeSharedCategories, formatDate } from "@/components/patient/record-categories";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { requireAreaUser } from "@/server/auth/page-guard";
import { createHttpContext } from "@/server/http-context";
import { createCaller } from "@/server/root";

export const metadata: Metadata = { title: "My patients" };

export default async function ProfessionalHome() {
  const user = await requireAreaUser("/professional");
  if (user.professionalStatus !== "VERIFIED") {
    return (
      <div className="space-y-6">
        <PageHeader title={`Welcome, ${user.name}`} />
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
  // Through the audited procedure, so each look at who shares with this professional is on the trail.
  const shared = await createCaller(await createHttpContext(await headers())).compliance.consent.sharedWithMe();
  return (
    <div className="space-y-6">
      <PageHeader title="My patients">
        Your licence is verified. Patients who grant you access appear here.
      </PageHeader>
      {shared.length ? (
        <Card title="Patients sharing their record with you" description="Access ends on the date each patient chose, or as soon as they revoke it.">
          <DataTable columns={["Patient", "Shared with you", "Purpose", "Until"]}>
            {shared.map((grant) => (
              <tr key={grant.id} className="align-top">
                <th scope="row" className="py-3 pr-4 font-medium">
                  <Link href={`/professional/patients/${grant.patientId}`} className="text-brand-700 hover:underline">
                    {grant.patientName}
                  </Link>
                </th>
                <td className="py-3 pr-4 text-slate-700">{describeSharedCategories(grant.categories)}</td>
                <td className="py-3 pr-4 text-slate-700">{grant.purpose}</td>
                <td className="py-3 whitespace-nowrap text-slate-700">{formatDate(grant.expiresAt)}</td>
              </tr>
            ))}
          </DataTable>
        </Card>
      ) : (
        <EmptyState title="No patient has shared their record with you yet">
          When a patient grants you access to their record, or you claim a second-opinion case, they will be listed here with
          what you may see and until when.
        </EmptyState>
      )}
    </div>
  );
}
