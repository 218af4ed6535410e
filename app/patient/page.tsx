import type { Metadata } from "next";
import { headers } from "next/headers";
import { OverviewCards } from "@/components/record/overview-cards";
import { RecordEmptyState } from "@/components/record/record-empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireAreaUser } from "@/server/auth/page-guard";
import { createHttpContext } from "@/server/http-context";
import { createCaller } from "@/server/root";

export const metadata: Metadata = { title: "My record" };

export default async function PatientHome() {
  const user = await requireAreaUser("/patient");
  const caller = createCaller(await createHttpContext(await headers()));
  const { id: patientId } = await caller.patient.mine();
  const overview = await caller.patient.record.overview({ patientId });
  // Profile details alone do not make a health record.
  const clinicalEntries = Object.entries(overview.counts).reduce((sum, [category, count]) => (category === "demographics" ? sum : sum + (count ?? 0)), 0);
  return (
    <div className="space-y-6">
      <PageHeader title={`Welcome, ${user.name.split(" ")[0]}`}>
        This is your health record. Only you, and the professionals you choose, can see it.
      </PageHeader>
      {clinicalEntries === 0 ? <RecordEmptyState /> : <OverviewCards overview={overview} viewer="patient" basePath="/patient" />}
    </div>
  );
}
