import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { describeSharedCategories, formatDate } from "@/components/patient/record-categories";
import { BackLink } from "@/components/record/back-link";
import { AccessRefused } from "@/components/record/record-access";
import { RecordNav } from "@/components/record/record-nav";
import { recordBasePath, recordPaths } from "@/components/record/record-paths";
import { Alert } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/page-header";
import { requireAreaUser } from "@/server/auth/page-guard";
import { sharedRecord } from "./shared-record";

export default async function SharedPatientLayout({ children, params }: { children: ReactNode; params: Promise<{ patientId: string }> }) {
  const user = await requireAreaUser("/professional");
  // Until verified, the professional home explains why no record can be opened.
  if (user.professionalStatus !== "VERIFIED") redirect("/professional");
  const { patientId } = await params;
  const shared = await sharedRecord(patientId);
  if (!shared) {
    return (
      <div className="space-y-6">
        <BackLink href="/professional">My patients</BackLink>
        <AccessRefused />
      </div>
    );
  }
  const basePath = recordBasePath("professional", patientId);
  const paths = recordPaths(basePath);
  return (
    <div className="space-y-6">
      <BackLink href="/professional">My patients</BackLink>
      <PageHeader title={shared.patientName}>You can read what the patient shares, and review lab reports they uploaded when they share documents and labs. Each time you open this record, it is recorded in the patient&apos;s access history.</PageHeader>
      <Alert tone="info" title="What this patient shares with you">
        <ul className="space-y-0.5">
          {shared.grants.map((grant) => (
            <li key={grant.id}>
              <span className="font-medium">{describeSharedCategories(grant.categories)}</span> for “{grant.purpose}”, until {formatDate(grant.expiresAt)}.
            </li>
          ))}
        </ul>
        {shared.scope !== "whole-record" && <p className="mt-1">Other parts of the record are not shared with you.</p>}
      </Alert>
      <RecordNav
        label="Patient record"
        links={[
          { href: basePath, label: "Overview" },
          { href: `${basePath}/labs`, label: "Labs" },
          { href: `${basePath}/timeline`, label: "Timeline" },
          { href: `${basePath}/insights`, label: "Insights" },
          { href: paths.documents, label: "Documents" },
        ]}
      />
      {children}
    </div>
  );
}
