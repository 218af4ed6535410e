import type { Metadata } from "next";
import { LabTestTable } from "@/components/record/lab-test-table";
import { AccessRefused } from "@/components/record/record-access";
import { recordBasePath } from "@/components/record/record-paths";
import { Card } from "@/components/ui/card";
import { recordCaller, unlessRefused } from "../shared-record";
import { sharedPartRefusal } from "../shared-part-refusal";

export const metadata: Metadata = { title: "Patient lab results" };

export default async function SharedPatientLabs({ params }: { params: Promise<{ patientId: string }> }) {
  const { patientId } = await params;
  const refusal = await sharedPartRefusal(patientId, "labs", "Lab results");
  if (refusal) return refusal;
  const tests = await unlessRefused((await recordCaller()).patient.record.labTests({ patientId }));
  if (!tests) return <AccessRefused />;
  return (
    <Card title="Lab results" description="Each test with its latest result, most recent first. Open a test to see its trend.">
      {tests.length ? (
        <LabTestTable tests={tests} basePath={recordBasePath("professional", patientId)} />
      ) : (
        <p className="text-sm text-slate-600">The patient&apos;s record has no lab results yet.</p>
      )}
    </Card>
  );
}
