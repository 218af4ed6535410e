// De-identification (HIPAA Safe Harbor) of free text and FHIR resources, before any patient data leaves HoloVitals.
export { deidentifyText, type DeidentifyTextOptions, type DeidentifiedText } from "./deidentify-text";
export { deidentifyResource, type ResourceDeidContext } from "./fhir-resource";
export { knownIdentifiersFromRecord, dateShiftForPatient } from "./record-identifiers";
export type { KnownIdentifiers, KnownAddress } from "./known-identifiers";
export { PHI_KINDS, type PhiKind } from "./phi-kinds";
export type { PhiSpan } from "./phi-span";
export { deidentifyPatientText } from "./patient-identifiers";
