// Codes seen in imported records that no loaded release knows: kept as
// OBSERVED with the display the source gave, so search finds them and a later
// release (or a full terminology import) can take them over.
import { db } from "@/server/db/client";
import type { CodeSystemName } from "@/server/db/generated/enums";
import { searchTextOf } from "./shipped-terminology";

/** The code systems HoloVitals knows, by their FHIR system URI. */
export const CODE_SYSTEM_URIS: Record<string, CodeSystemName> = {
  "http://hl7.org/fhir/sid/icd-10-cm": "ICD10CM",
  "http://loinc.org": "LOINC",
  "http://snomed.info/sct": "SNOMEDCT",
  "http://www.nlm.nih.gov/research/umls/rxnorm": "RXNORM",
  "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets": "HCPCS",
  "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets": "HCPCS",
};

export type ObservedCoding = { system: string; code: string; display: string | null };

/** Records the codings whose system HoloVitals knows and whose code it does not; returns how many were new. */
export async function recordObservedCodes(codings: ObservedCoding[]): Promise<number> {
  const known = new Map<string, { system: CodeSystemName; code: string; display: string | null }>();
  for (const coding of codings) {
    const system = CODE_SYSTEM_URIS[coding.system];
    const code = coding.code.trim();
    if (!system || !code || code.length > 100) continue;
    known.set(`${system}|${code}`, { system, code, display: coding.display?.trim().slice(0, 500) || null });
  }
  if (known.size === 0) return 0;
  const rows = [...known.values()].map((row) => ({ ...row, search: searchTextOf(row.system, { ...row, synonyms: [] }) }));
  return db.$executeRaw`
    INSERT INTO "standards"."Concept" ("id", "system", "code", "display", "synonyms", "status", "searchText", "updatedAt")
    SELECT gen_random_uuid(), c.system::"standards"."CodeSystemName", c.code, c.display, '{}', 'OBSERVED', c.search, now()
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS c(system text, code text, display text, search text)
    ON CONFLICT ("system", "code") DO NOTHING`;
}
