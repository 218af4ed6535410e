// Public API of the analysis domain.
export { deidentifyText, deidentifyPatientText, deidentifyResource, knownIdentifiersFromRecord, dateShiftForPatient, PHI_KINDS } from "./deid";
export type { DeidentifyTextOptions, DeidentifiedText, ResourceDeidContext, KnownIdentifiers, PhiKind, PhiSpan } from "./deid";
export { startAnalysisTask, reviewTaskWithRules, askProviderForTask, finishAnalysisTask, failAnalysisTask, aiUsageOfTask, AnalysisAccessWithdrawnError } from "./tasks/run";
