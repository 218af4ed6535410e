import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState } from "@/components/ui/empty-state";
import { requireAreaUser } from "@/server/auth/page-guard";

export const metadata: Metadata = { title: "My record" };

export default async function PatientHome() {
  const user = await requireAreaUser("/patient");
  return (
    <div className="space-y-6">
      <PageHeader title={`Welcome, ${user.name.split(" ")[0]}`}>
        This is your health record. Only you, and the professionals you choose, can see it.
      </PageHeader>
      <EmptyState
        title="Your health record is empty"
        steps={[
          {
            title: "Import your records",
            description: "Bring in a FHIR file exported from a patient portal or another health app.",
            status: "Record import arrives in the next release.",
          },
          {
            title: "Upload a lab report",
            description: "A PDF or a photo of a printed report: we read the results and add them to your charts.",
            status: "Document upload arrives in a coming release.",
          },
          {
            title: "Connect your hospital",
            description: "Link your hospital's patient portal so new results flow in by themselves.",
            status: "Hospital connections arrive in a coming release.",
          },
        ]}
      >
        Once your record has data, you will see your active problems, medications, allergies and lab trends here.
      </EmptyState>
    </div>
  );
}
