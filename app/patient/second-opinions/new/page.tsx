import type { Metadata } from "next";
import { headers } from "next/headers";
import { NewCaseForm } from "@/components/cases/case-form";
import { BackLink } from "@/components/record/back-link";
import { PageHeader } from "@/components/ui/page-header";
import { createHttpContext } from "@/server/http-context";
import { createCaller } from "@/server/root";

export const metadata: Metadata = { title: "Ask for a second opinion" };

export default async function NewSecondOpinion() {
  const { id: patientId } = await createCaller(await createHttpContext(await headers())).patient.mine();
  return (
    <div className="space-y-6">
      <BackLink href="/patient/second-opinions">Second opinions</BackLink>
      <PageHeader title="Ask for a second opinion">Your question and what you share are saved as a draft first; you submit it on the next page.</PageHeader>
      <NewCaseForm patientId={patientId} />
    </div>
  );
}
