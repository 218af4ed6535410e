// Public API of the patient domain.
export { ensurePatientForUser, patientById, patientsByIds, type PatientRef } from "./service";
