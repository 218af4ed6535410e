import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { ConsentGrantForm } from "@/components/patient/consent-grant-form";
import { ConsentGrantList } from "@/components/patient/consent-grant-list";

export const metadata: Metadata = { title: "Sharing" };

export default function PatientSharing() {
  return (
    <div className="space-y-6">
      <PageHeader title="Sharing">
        Choose which professionals may see your record, which parts, why and until when. Each time they open it, the access is recorded in the audit trail.
      </PageHeader>
      <div className="grid gap-6 lg:grid-cols-5">
        <div className="lg:col-span-2">
          <ConsentGrantForm />
        </div>
        <div className="lg:col-span-3">
          <ConsentGrantList />
        </div>
      </div>
    </div>
  );
}
