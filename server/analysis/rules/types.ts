// What the rules engine reads and what it answers. The snapshot is the part
// of a patient's record the rules need, already reduced to plain values by the
// patient domain; findings and missing pieces point back at the exact entries
// (their record ids) they rest on.

/** A numeric result: a lab test or a vital sign. */
export type Measurement = {
  /** The record entry (patient.ClinicalResource id) the finding links to. */
  entryId: string;
  loinc: string | null;
  name: string;
  value: number;
  unit: string | null;
  low: number | null;
  high: number | null;
  effectiveAt: Date;
};

export type Medication = { entryId: string; name: string; rxnorm: string | null; active: boolean };
export type Allergy = { entryId: string; substance: string; active: boolean };
export type Condition = { entryId: string; name: string; codes: string[]; active: boolean };
/** Something done or recorded that is not a number: a screening procedure, a coded observation (smoking status). */
export type CareEvent = { entryId: string; name: string; codes: string[]; performedAt: Date };

export type ClinicalSnapshot = {
  /** Age in whole years at `now`; null when the record has no birth date. */
  age: number | null;
  sex: "male" | "female" | "other" | "unknown";
  measurements: Measurement[];
  medications: Medication[];
  allergies: Allergy[];
  conditions: Condition[];
  careEvents: CareEvent[];
};

export type FindingSeverity = "info" | "low" | "moderate" | "high" | "critical";

export type Finding = {
  /** Which rule found it (stable, for tests and the audit of what the engine said). */
  rule: string;
  severity: FindingSeverity;
  title: string;
  /** In plain words, for a patient. */
  explanation: string;
  /** Where the rule comes from. */
  source: string;
  /** The record entries it rests on. */
  evidence: string[];
};

/** What to do to fill a gap: the ways a patient can get the data into their record. */
export type MissingAction = "upload-report" | "connect-ehr" | "ask-clinician" | "enter-yourself";

export type MissingPiece = {
  rule: string;
  title: string;
  /** Why it matters, in plain words. */
  why: string;
  /** Never measured, or measured too long ago (with the last entry). */
  state: { kind: "never" } | { kind: "stale"; lastAt: Date; entryId: string };
  actions: MissingAction[];
  source: string;
};
