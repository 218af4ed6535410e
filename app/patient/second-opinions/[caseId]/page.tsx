import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { z } from "zod";
import { PatientCase } from "@/components/cases/patient-case";
import { BackLink } from "@/components/record/back-link";

export const metadata: Metadata = { title: "Second opinion" };

export default async function PatientSecondOpinion({ params }: { params: Promise<{ caseId: string }> }) {
  const { caseId } = await params;
  if (!z.uuid().safeParse(caseId).success) notFound();
  return (
    <div className="space-y-6">
      <BackLink href="/patient/second-opinions">All second opinions</BackLink>
      {/* The case reads ?checkout= (a return from Stripe), which needs a boundary of its own. */}
      <Suspense fallback={<p className="text-sm text-slate-500">Loading the case…</p>}>
        <PatientCase caseId={caseId} />
      </Suspense>
    </div>
  );
}
