import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { z } from "zod";
import { ProfessionalCase } from "@/components/cases/professional-case";
import { BackLink } from "@/components/record/back-link";

export const metadata: Metadata = { title: "Case" };

export default async function ProfessionalCasePage({ params }: { params: Promise<{ caseId: string }> }) {
  const { caseId } = await params;
  if (!z.uuid().safeParse(caseId).success) notFound();
  return (
    <div className="space-y-6">
      <BackLink href="/professional/cases">All cases</BackLink>
      <ProfessionalCase caseId={caseId} />
    </div>
  );
}
