// A lab report the patient (or their professional) reviewed goes into the
// record as FHIR: the report file as a DocumentReference, each accepted result
// as an Observation derived from it, and a DiagnosticReport grouping them.
// Stored with provenance DOCUMENT and the document's id, idempotent by source
// and id, so accepting again (a retry after a failure) changes nothing.
import type { CodeableConcept, DiagnosticReport, DocumentReference, Observation, Quantity } from "@medplum/fhirtypes";
import { db } from "@/server/db/client";
import { storedResourceOf } from "./fhir/stored-resource";
import { upsertClinicalResources } from "./record-writer";

/** Where resources read from uploaded documents come from; their ids there are the documents domain's ids. */
export const DOCUMENT_SOURCE = "urn:holovitals:document";

const LOINC = "http://loinc.org";
const UCUM = "http://unitsofmeasure.org";
const LAB_REPORT: CodeableConcept = { coding: [{ system: LOINC, code: "11502-2", display: "Laboratory report" }] };

export type ReviewedLabResult = {
  /** The result's id in the documents domain: the Observation's id. */
  id: string;
  /** As printed. */
  name: string;
  loinc: { code: string; display: string } | null;
  value: { number: number; comparator?: "<" | ">" | "<=" | ">=" } | { text: string };
  /** As printed, and as UCUM when it could be read. */
  unit: string | null;
  ucumUnit: string | null;
  /** The lab's printed range: the numbers when they could be read, and the text as printed. */
  referenceRange: { low: number | null; high: number | null; text: string } | null;
  /** The lab's flag, or what its own range says of the value. */
  interpretation: "LL" | "L" | "N" | "H" | "HH" | "A" | null;
  /** yyyy-mm-dd: when the sample was taken. */
  collectedOn: string;
};

export type ReviewedLabReport = {
  /** The document's id in the documents domain: the DocumentReference's and DiagnosticReport's id. */
  documentId: string;
  title: string;
  /** Where the documents domain serves the file (an authorised, audited route, never a public URL). */
  fileUrl: string;
  fileName: string;
  mimeType: string;
  sizeBytes: number;
  uploadedAt: Date;
  labName: string | null;
  /** yyyy-mm-dd. */
  collectedOn: string;
  results: ReviewedLabResult[];
};

/** The value in the unit the report prints; its UCUM code only when a unit was printed (no unit is not unit "1"). */
function quantity(value: number, result: ReviewedLabResult, comparator?: Quantity["comparator"]): Quantity {
  if (!result.unit) return { value, comparator };
  return { value, comparator, unit: result.unit, ...(result.ucumUnit ? { system: UCUM, code: result.ucumUnit } : {}) };
}

function observationOf(patientId: string, report: ReviewedLabReport, result: ReviewedLabResult): Observation {
  const { value, referenceRange: range } = result;
  return {
    resourceType: "Observation",
    id: result.id,
    status: "final",
    category: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/observation-category", code: "laboratory", display: "Laboratory" }] }],
    code: { text: result.name, coding: result.loinc ? [{ system: LOINC, code: result.loinc.code, display: result.loinc.display }] : undefined },
    subject: { reference: `Patient/${patientId}` },
    effectiveDateTime: result.collectedOn,
    performer: report.labName ? [{ display: report.labName }] : undefined,
    ...("number" in value ? { valueQuantity: quantity(value.number, result, value.comparator) } : { valueString: value.text }),
    interpretation: result.interpretation
      ? [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation", code: result.interpretation }] }]
      : undefined,
    referenceRange: range
      ? [
          {
            low: range.low === null ? undefined : quantity(range.low, result),
            high: range.high === null ? undefined : quantity(range.high, result),
            text: range.text,
          },
        ]
      : undefined,
    derivedFrom: [{ reference: `DocumentReference/${report.documentId}`, display: report.title }],
  };
}

function attachmentOf(report: ReviewedLabReport) {
  return { contentType: report.mimeType, url: report.fileUrl, title: report.fileName, size: report.sizeBytes };
}

function documentReferenceOf(patientId: string, report: ReviewedLabReport): DocumentReference {
  return {
    resourceType: "DocumentReference",
    id: report.documentId,
    status: "current",
    docStatus: "final",
    type: LAB_REPORT,
    subject: { reference: `Patient/${patientId}` },
    date: report.uploadedAt.toISOString(),
    description: report.title,
    content: [{ attachment: attachmentOf(report) }],
    context: { period: { start: report.collectedOn } },
  };
}

function diagnosticReportOf(patientId: string, report: ReviewedLabReport): DiagnosticReport {
  return {
    resourceType: "DiagnosticReport",
    id: report.documentId,
    status: "final",
    category: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/v2-0074", code: "LAB", display: "Laboratory" }] }],
    code: { ...LAB_REPORT, text: report.title },
    subject: { reference: `Patient/${patientId}` },
    effectiveDateTime: report.collectedOn,
    performer: report.labName ? [{ display: report.labName }] : undefined,
    result: report.results.map((result) => ({ reference: `Observation/${result.id}`, display: result.name })),
    presentedForm: [attachmentOf(report)],
  };
}

/**
 * Files a reviewed lab report into the record in one transaction; returns the record id of each result's
 * Observation, by result id. Invalid FHIR is refused before anything is written.
 */
export async function recordReviewedLabReport(patientId: string, report: ReviewedLabReport, reviewedByUserId: string) {
  const stored = [
    documentReferenceOf(patientId, report),
    ...report.results.map((result) => observationOf(patientId, report, result)),
    diagnosticReportOf(patientId, report),
  ].map((resource) => storedResourceOf(resource, DOCUMENT_SOURCE));
  await db.$transaction((tx) =>
    upsertClinicalResources(tx, patientId, stored, { sourceKind: "DOCUMENT", sourceRef: report.documentId, recordedByUserId: reviewedByUserId }, {}),
  );
  const observations = await db.clinicalResource.findMany({
    where: { patientId, sourceSystem: DOCUMENT_SOURCE, resourceType: "Observation", sourceId: { in: report.results.map((r) => r.id) } },
    select: { id: true, sourceId: true },
  });
  return new Map(observations.map((row) => [row.sourceId, row.id]));
}
