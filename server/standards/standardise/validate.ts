// Checks a lab result before it is saved (manual entry, a reviewed document
// row): each problem is tied to the field it is about, in words a patient acts on.
import { standardiseLabResult, type LabResultInput, type PlausibilityFlag } from "./standardise";

export type LabResultProblem = { field: "name" | "value" | "unit" | "referenceRange" | "specimen"; message: string; blocking: boolean };

const FIELD_OF: Record<PlausibilityFlag["code"], LabResultProblem["field"]> = {
  "unit-unknown": "unit",
  "unit-mismatch": "unit",
  "possible-unit-mixup": "unit",
  "value-not-numeric": "value",
  "value-negative": "value",
  "percent-over-100": "value",
  implausible: "value",
  "range-unreadable": "referenceRange",
  "specimen-unknown": "specimen",
};

// A value that cannot be right stops the save; one that is only unusual asks for a second look.
const BLOCKING = new Set<PlausibilityFlag["code"]>(["unit-unknown", "unit-mismatch", "value-not-numeric", "value-negative", "percent-over-100", "range-unreadable"]);

export async function validateLabResult(input: LabResultInput) {
  const result = await standardiseLabResult(input);
  const problems: LabResultProblem[] = result.flags.map((flag) => ({ field: FIELD_OF[flag.code], message: flag.message, blocking: BLOCKING.has(flag.code) }));
  if (result.status === "unsure") {
    const suggestions = result.candidates.slice(0, 3).map((c) => c.display);
    problems.unshift({
      field: "name",
      message: suggestions.length
        ? `We couldn't tell for sure which test "${input.name}" is. Did you mean ${suggestions.map((s) => `"${s}"`).join(" or ")}?`
        : `We don't know a lab test called "${input.name}". Check the spelling on the report.`,
      blocking: false,
    });
  }
  return { ok: !problems.some((p) => p.blocking), problems, result };
}
