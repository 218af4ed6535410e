// The built-in clinical rules engine: the default analysis provider, with no
// network. Every rule runs on the snapshot; what a kind of analysis needs and
// lacks is listed beside the findings.
import { missingData, type AnalysisKind } from "./analysis-kinds";
import { drugAllergyConflicts, duplicateTherapies } from "./medication-rules";
import { preventiveCareGaps } from "./preventive-care";
import { criticalValues, outOfRange, significantTrends } from "./result-rules";
import type { ClinicalSnapshot, Finding, MissingPiece } from "./types";

const SEVERITY_ORDER: Finding["severity"][] = ["critical", "high", "moderate", "low", "info"];

export function runClinicalRules(snapshot: ClinicalSnapshot, kind: AnalysisKind, now = new Date()): { findings: Finding[]; missing: MissingPiece[] } {
  const critical = criticalValues(snapshot);
  // A critical result is also out of range; it is said once, as critical.
  const criticalEntries = new Set(critical.flatMap((f) => f.evidence));
  const findings = [
    ...critical,
    ...outOfRange(snapshot).filter((f) => !f.evidence.some((id) => criticalEntries.has(id))),
    ...significantTrends(snapshot, now),
    ...drugAllergyConflicts(snapshot),
    ...duplicateTherapies(snapshot),
    ...preventiveCareGaps(snapshot, now),
  ].sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity));
  return { findings, missing: missingData(kind, snapshot, now) };
}
