import type { Metadata } from "next";
import { headers } from "next/headers";
import { ProfileForm } from "@/components/profile/profile-form";
import { PageHeader } from "@/components/ui/page-header";
import { requireAreaUser } from "@/server/auth/page-guard";
import { createHttpContext } from "@/server/http-context";
import { createCaller } from "@/server/root";

export const metadata: Metadata = { title: "Profile" };

export default async function PatientProfilePage() {
  await requireAreaUser("/patient");
  const caller = createCaller(await createHttpContext(await headers()));
  const patient = await caller.patient.mine();
  const profile = await caller.patient.profile.get({ patientId: patient.id });
  return (
    <div className="max-w-3xl space-y-6">
      <PageHeader title="Your profile">
        The details at the top of your record. Importing records fills empty fields but never overwrites what you typed here.
      </PageHeader>
      <ProfileForm patientId={patient.id} profile={profile} />
    </div>
  );
}
