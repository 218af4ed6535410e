// Synthetic patients as FHIR R4, for demos and benchmarks: realistic, reproducible (seeded, never Math.random),
// and free of real people's data.
import type { Bundle, Resource } from "@medplum/fhirtypes";
import { patientHistory } from "./history";
import { startOfDay } from "./time";

export type SyntheticOptions = {
  seed?: number;
  /** Length of the history, in years (1–60). Default 5. */
  years?: number;
  /** The day the history ends. Default: the start of today (UTC); pass it to make output independent of the date. */
  now?: Date;
};

const DEFAULT_SEED = 1;
const DEFAULT_YEARS = 5;
export const MAX_YEARS = 60;

function settings(index: number, options: SyntheticOptions) {
  const seed = options.seed ?? DEFAULT_SEED;
  const years = options.years ?? DEFAULT_YEARS;
  const now = options.now?.getTime() ?? startOfDay(Date.now());
  if (!Number.isSafeInteger(index) || index < 0) throw new RangeError(`patient index must be a whole number of 0 or more, got ${index}`);
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a whole number, got ${seed}`);
  if (!(years >= 1 && years <= MAX_YEARS)) throw new RangeError(`years must be between 1 and ${MAX_YEARS}, got ${years}`);
  if (!Number.isFinite(now)) throw new RangeError("now must be a valid date");
  return { seed, index, years, now };
}

/**
 * One patient as a FHIR R4 Bundle of type "collection". Entries have fullUrl "urn:uuid:<id>", and every reference
 * inside is the "urn:uuid:<id>" of another entry. The same index and options always give the same bundle.
 */
export function generatePatientBundle(index: number, options: SyntheticOptions = {}): Bundle {
  return patientHistory(settings(index, options));
}

/** Sample size for the estimate: enough that the mean is within a few percent, small enough to take ~0.1 s. */
const ESTIMATE_SAMPLE = 12;

/**
 * Approximate resources per patient for `options.years` (so a benchmark can pick a size): the mean over a fixed
 * sample of patients generated with the same options.
 */
export function estimateResourcesPerPatient(options: SyntheticOptions = {}): number {
  let total = 0;
  for (let index = 0; index < ESTIMATE_SAMPLE; index++) total += generatePatientBundle(index, options).entry?.length ?? 0;
  return Math.round(total / ESTIMATE_SAMPLE);
}

/**
 * The bundle's resources with every "urn:uuid:<id>" reference rewritten as "<Type>/<id>", the form a FHIR server or
 * a Bulk Data NDJSON file expects. The bundle itself is left as it is.
 */
export function withRelativeReferences(bundle: Bundle): Resource[] {
  const targets = new Map<string, string>();
  for (const entry of bundle.entry ?? []) {
    if (entry.fullUrl && entry.resource) targets.set(entry.fullUrl, `${entry.resource.resourceType}/${entry.resource.id}`);
  }
  const rewrite = (value: unknown): unknown => {
    if (typeof value !== "object" || value === null) return value;
    if (Array.isArray(value)) return value.map(rewrite);
    const copy: Record<string, unknown> = {};
    for (const key in value) {
      const inner = (value as Record<string, unknown>)[key];
      if (key === "reference" && typeof inner === "string") {
        const target = targets.get(inner);
        if (target === undefined) throw new Error(`reference ${inner} does not resolve to an entry of the bundle`);
        copy[key] = target;
      } else copy[key] = rewrite(inner);
    }
    return copy;
  };
  return (bundle.entry ?? []).flatMap((entry) => (entry.resource ? [rewrite(entry.resource) as Resource] : []));
}
