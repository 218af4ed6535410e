import type { Metadata } from "next";
import { EhrProviderSettings } from "@/components/admin/ehr-provider-settings";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "EHR providers" };

export default function EhrProvidersPage() {
  return (
    <div className="space-y-8">
      <PageHeader title="EHR providers">
        The hospital portals patients can connect by SMART on FHIR. A vendor's template is offered to patients once it has the FHIR base URL and
        the client id the vendor registered for this deployment, and is enabled.
      </PageHeader>
      <EhrProviderSettings />
    </div>
  );
}
