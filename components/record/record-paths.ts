import { RECORD_CATEGORY_LABELS } from "@/components/patient/record-categories";
import type { RecordCategory } from "@/server/compliance";
import type { RecordViewer } from "./record-types";

/** Where a record's pages start: /patient for the patient's own, /professional/patients/<id> for one shared with a professional. */
export function recordBasePath(viewer: RecordViewer, patientId: string) {
  return viewer === "patient" ? "/patient" : `/professional/patients/${patientId}`;
}

/**
 * Where each part of a record lives, below the record's base path: /patient for
 * the patient, /professional/patients/<id> for a professional they share with.
 */
export function recordPaths(base: string) {
  return {
    labTest: (test: { codeSystem: string; code: string }) => `${base}/labs/${encodeURIComponent(test.code)}?system=${encodeURIComponent(test.codeSystem)}`,
    category: (category: RecordCategory) => (category === "labs" ? `${base}/labs` : `${base}/records/${category}`),
    entries: (category: RecordCategory) => `${base}/records/${category}`,
    documents: `${base}/documents`,
    document: (documentId: string) => `${base}/documents/${documentId}`,
  };
}

export type RecordPaths = ReturnType<typeof recordPaths>;

/** The part of the record a URL segment names, or null for anything else. */
export function categoryFromPath(segment: string): RecordCategory | null {
  return Object.hasOwn(RECORD_CATEGORY_LABELS, segment) ? (segment as RecordCategory) : null;
}
