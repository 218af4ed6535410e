// Public API of the patient domain.
export { ensurePatientForUser, patientById, type PatientRef } from "./service";
