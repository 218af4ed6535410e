import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { EhrOrganizationForm } from "@/components/professional/ehr-organization-form";
import { EhrOrganizationList } from "@/components/professional/ehr-organization-list";
import { PageHeader } from "@/components/ui/page-header";
import { requireAreaUser } from "@/server/auth/page-guard";
import { createHttpContext } from "@/server/http-context";
import { createCaller } from "@/server/root";

export const metadata: Metadata = { title: "Organisation EHR connections" };

export default async function EhrOrganizations() {
  const user = await requireAreaUser("/professional");
  // Until verified, the professional home explains why nothing can be connected.
  if (user.professionalStatus !== "VERIFIED") redirect("/professional");
  // The patients who may be linked are those sharing with this professional; a patient with several grants once.
  const grants = await createCaller(await createHttpContext(await headers())).compliance.consent.sharedWithMe();
  const patients = [...new Map(grants.map((grant) => [grant.patientId, { id: grant.patientId, name: grant.patientName }])).values()];
  return (
    <div className="space-y-6">
      <PageHeader title="Organisation EHR connections">
        Connect your clinic&apos;s EHR once, then bring the records of patients who share their whole record with you into HoloVitals.
      </PageHeader>
      <div className="grid gap-6 lg:grid-cols-5">
        <div className="lg:col-span-2">
          <EhrOrganizationForm />
        </div>
        <div className="lg:col-span-3">
          <EhrOrganizationList patients={patients} />
        </div>
      </div>
    </div>
  );
}
