// A clinical review of a patient's record by the built-in rules engine: the
// record's facts from the patient domain, narrowed to what the reader may see,
// reasoned over, and each finding's evidence named so the page can link to it.
import { scopeCovers, type AccessScope } from "@/server/compliance";
import { labReferenceFactsOf, recordFactsOf, type RecordFacts } from "@/server/patient";
import type { AnalysisKind } from "./rules/analysis-kinds";
import { runClinicalRules } from "./rules/engine";
import type { ClinicalSnapshot } from "./rules/types";

export type EvidenceEntry = { entryId: string; category: string; name: string; loinc: string | null };

export async function clinicalReview(patientId: string, kind: AnalysisKind, scope: AccessScope, now = new Date()) {
  const [all, { sex, age }] = await Promise.all([recordFactsOf(patientId), labReferenceFactsOf(patientId, now)]);
  const facts = factsInScope(all, scope);
  const snapshot: ClinicalSnapshot = {
    age: age ?? null,
    sex: sex ?? "unknown",
    measurements: facts.measurements,
    medications: facts.medications.map((m) => ({ ...m, rxnorm: null })),
    allergies: facts.allergies.map((a) => ({ entryId: a.entryId, substance: a.name, active: a.active })),
    conditions: facts.conditions,
    careEvents: facts.events.map((e) => ({ entryId: e.entryId, name: e.name, codes: e.codes, performedAt: e.at })),
  };
  const { findings, missing } = runClinicalRules(snapshot, kind, now);
  const cited = new Set([...findings.flatMap((f) => f.evidence), ...missing.flatMap((m) => (m.state.kind === "stale" ? [m.state.entryId] : []))]);
  return { kind, findings, missing, evidence: evidenceIndex(facts, cited), partialRecord: scope !== "whole-record" };
}

/** A professional whose grant covers some parts of the record is reviewed, and shown evidence, on those parts alone. */
function factsInScope(all: RecordFacts, scope: AccessScope): RecordFacts {
  const visible = <T extends { category: string }>(facts: T[]) => facts.filter((fact) => scopeCovers(scope, fact.category));
  return {
    measurements: visible(all.measurements),
    events: visible(all.events),
    medications: visible(all.medications),
    allergies: visible(all.allergies),
    conditions: visible(all.conditions),
  };
}

/** The cited entries the reader may see, for a stored analysis whose findings were written earlier. */
export async function evidenceVisibleTo(patientId: string, scope: AccessScope, cited: Set<string>) {
  return evidenceIndex(factsInScope(await recordFactsOf(patientId), scope), cited);
}

/** The entries findings and missing pieces cite, by id, with where they live in the record. */
function evidenceIndex(facts: RecordFacts, cited: Set<string>): Record<string, EvidenceEntry> {
  const index: Record<string, EvidenceEntry> = {};
  for (const m of facts.measurements) if (cited.has(m.entryId)) index[m.entryId] = { entryId: m.entryId, category: m.category, name: m.name, loinc: m.loinc };
  for (const list of [facts.events, facts.medications, facts.allergies, facts.conditions]) {
    for (const fact of list) if (cited.has(fact.entryId)) index[fact.entryId] ??= { entryId: fact.entryId, category: fact.category, name: fact.name, loinc: null };
  }
  return index;
}
