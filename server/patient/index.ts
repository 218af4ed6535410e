// Public API of the patient domain.
export { ensurePatientForUser, labReferenceFactsOf, patientById, patientsByIds, recordEntryCount, updatePatientProfile, type PatientRef } from "./service";
export { startRecordImport, runRecordImport, validateRecordImport, writeImportUnit, recordImportedCodes, finishRecordImport, failRecordImport, recordImportSummary } from "./record-import";
export { readRecordFiles, type RecordFile, type ImportProblem } from "./fhir/record-files";
export { exportRecordBundle } from "./record-export";
export { recordReviewedLabReport, type ReviewedLabReport, type ReviewedLabResult } from "./lab-report-results";
export { forgetSyncedBatches, prevalidateSyncedResources, writeSyncedResources, type SyncedBatch, type SyncedBatchOutcome, type SkippedResource, type AnnotatedEntryChanged } from "./synced-resources";
export { recordFactsOf, type RecordFacts } from "./record-facts";
export { identifyingResourcesOf, recordFingerprintOf } from "./identifying-details";
