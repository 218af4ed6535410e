import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { RECORD_CATEGORY_LABELS } from "@/components/patient/record-categories";
import { CategoryRecord } from "@/components/record/category-record";
import { AccessRefused, NotShared } from "@/components/record/record-access";
import { categoryFromPath } from "@/components/record/record-paths";
import { scopeCovers } from "@/server/compliance";
import { sharedRecord } from "../../shared-record";

export const metadata: Metadata = { title: "Patient record" };

export default async function SharedPatientCategory({ params }: { params: Promise<{ patientId: string; category: string }> }) {
  const { patientId, category: segment } = await params;
  const category = categoryFromPath(segment);
  // Profile details are not a list of entries; the record's other parts are.
  if (!category || category === "demographics") notFound();
  const shared = await sharedRecord(patientId);
  if (!shared) return <AccessRefused />;
  return (
    <section aria-labelledby="category-heading" className="space-y-4">
      <h2 id="category-heading" className="text-lg font-semibold text-slate-900">
        {RECORD_CATEGORY_LABELS[category]}
      </h2>
      {scopeCovers(shared.scope, category) ? <CategoryRecord patientId={patientId} category={category} viewer="professional" /> : <NotShared />}
    </section>
  );
}
