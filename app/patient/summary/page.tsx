import type { Metadata } from "next";
import { headers } from "next/headers";
import type { ReactNode } from "react";
import { formatDate } from "@/components/patient/record-categories";
import { formatAddress, profileParts, SEX_LABELS, type Sex } from "@/components/profile/profile-details";
import { FlagBadge } from "@/components/record/flag-badge";
import { PageHeader } from "@/components/ui/page-header";
import { requireAreaUser } from "@/server/auth/page-guard";
import { createHttpContext } from "@/server/http-context";
import { createCaller } from "@/server/root";
import { PrintButton } from "./print-button";
import { SummaryTable } from "./summary-table";

export const metadata: Metadata = { title: "Health summary" };

// Long lists (yearly flu shots, every procedure of a long history) keep only their latest entries on paper.
const LATEST = 25;

function when(date: Date | null) {
  return date ? formatDate(date) : "—";
}

function named(entry: { display: string | null }) {
  return entry.display ?? "Unnamed entry";
}

function Detail({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="break-inside-avoid">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="text-sm text-slate-900">{children || "Not recorded"}</dd>
    </div>
  );
}

/** The record on one or two sheets of paper, for a visit or a new doctor. */
export default async function HealthSummaryPage() {
  await requireAreaUser("/patient");
  const caller = createCaller(await createHttpContext(await headers()));
  const { id: patientId } = await caller.patient.mine();
  const latest = (category: "immunizations" | "procedures" | "family-history") => caller.patient.record.entries({ patientId, category, limit: LATEST });
  const [profile, overview, immunizations, procedures, familyHistory] = await Promise.all([
    caller.patient.profile.get({ patientId }),
    caller.patient.record.overview({ patientId }),
    latest("immunizations"),
    latest("procedures"),
    latest("family-history"),
  ]);
  const { address, emergencyContact, insurance } = profileParts(profile);
  const name = [profile.givenName, profile.familyName].filter(Boolean).join(" ");
  const more = (page: { nextCursor: string | null }) => (page.nextCursor ? `The latest ${LATEST} are shown; your record holds more.` : undefined);

  return (
    <article className="space-y-6 print:space-y-4">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <PageHeader title="Health summary">
          {name || "Name not recorded"} · generated {new Date().toLocaleString("en-US", { dateStyle: "long", timeStyle: "short" })} from HoloVitals
        </PageHeader>
        <PrintButton />
      </div>

      <section className="break-inside-avoid">
        <h2 className="border-b border-slate-300 pb-1 text-base font-semibold text-slate-900">Patient</h2>
        <dl className="mt-2 grid gap-x-6 gap-y-2 sm:grid-cols-3 print:grid-cols-3">
          <Detail label="Name">{name}</Detail>
          <Detail label="Date of birth">{profile.birthDate && formatDate(profile.birthDate)}</Detail>
          <Detail label="Sex">{profile.sex && (SEX_LABELS[profile.sex as Sex] ?? profile.sex)}</Detail>
          <Detail label="Phone">{profile.phone}</Detail>
          <Detail label="Email">{profile.email}</Detail>
          <Detail label="Address">{formatAddress(address)}</Detail>
          <Detail label="Emergency contact">
            {emergencyContact &&
              [emergencyContact.name, emergencyContact.relationship && `(${emergencyContact.relationship})`, emergencyContact.phone].filter(Boolean).join(" ")}
          </Detail>
          <Detail label="Insurance">
            {insurance &&
              [insurance.payer, `member ${insurance.memberId}`, insurance.groupNumber && `group ${insurance.groupNumber}`].filter(Boolean).join(", ")}
          </Detail>
        </dl>
      </section>

      <SummaryTable
        title="Active problems"
        columns={["Problem", "Status", "Since"]}
        rows={(overview.problems ?? []).map((entry) => [named(entry), entry.status ?? "—", when(entry.effectiveAt)])}
      />
      <SummaryTable
        title="Current medications"
        columns={["Medication", "Instructions", "Since"]}
        rows={(overview.medications ?? []).map((entry) => [named(entry), entry.detail ?? "—", when(entry.effectiveAt)])}
      />
      <SummaryTable
        title="Allergies"
        columns={["Substance", "Details", "Status"]}
        rows={(overview.allergies ?? []).map((entry) => [named(entry), entry.detail ?? "—", entry.status ?? "—"])}
      />
      <SummaryTable
        title="Immunizations"
        columns={["Vaccine", "Date"]}
        rows={immunizations.entries.map((entry) => [named(entry), when(entry.effectiveAt)])}
        note={more(immunizations)}
      />
      <SummaryTable
        title="Recent lab results"
        columns={["Test", "Result", "Flag", "Date"]}
        rows={(overview.labs ?? []).map((entry) => [named(entry), entry.result?.text ?? "—", <FlagBadge key="flag" flag={entry.result?.flag ?? null} />, when(entry.effectiveAt)])}
        note="The latest result of each test."
      />
      <SummaryTable
        title="Recent vital signs"
        columns={["Measurement", "Result", "Date"]}
        rows={(overview.vitals ?? []).map((entry) => [named(entry), entry.result?.text ?? "—", when(entry.effectiveAt)])}
        note="The latest reading of each."
      />
      <SummaryTable
        title="Procedures"
        columns={["Procedure", "Date"]}
        rows={procedures.entries.map((entry) => [named(entry), when(entry.effectiveAt)])}
        note={more(procedures)}
      />
      <SummaryTable
        title="Family history"
        columns={["Condition", "Relative"]}
        rows={familyHistory.entries.map((entry) => [named(entry), entry.detail ?? "—"])}
        note={more(familyHistory)}
      />
    </article>
  );
}
