import type { Metadata } from "next";
import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { RECORD_CATEGORY_LABELS } from "@/components/patient/record-categories";
import { BackLink } from "@/components/record/back-link";
import { CategoryRecord } from "@/components/record/category-record";
import { categoryFromPath } from "@/components/record/record-paths";
import { PageHeader } from "@/components/ui/page-header";
import { createHttpContext } from "@/server/http-context";
import { createCaller } from "@/server/root";

type Props = { params: Promise<{ category: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const category = categoryFromPath((await params).category);
  return { title: category ? RECORD_CATEGORY_LABELS[category] : "My record" };
}

export default async function PatientRecordCategory({ params }: Props) {
  const category = categoryFromPath((await params).category);
  if (!category) notFound();
  // Profile and contact details have their own page.
  if (category === "demographics") redirect("/patient/profile");
  const { id: patientId } = await createCaller(await createHttpContext(await headers())).patient.mine();
  return (
    <div className="space-y-6">
      <BackLink href="/patient">My record</BackLink>
      <PageHeader title={RECORD_CATEGORY_LABELS[category]}>Everything in your record under {RECORD_CATEGORY_LABELS[category].toLowerCase()}, newest first.</PageHeader>
      <CategoryRecord patientId={patientId} category={category} viewer="patient" />
    </div>
  );
}
