// Public API of the ehr domain.
export { startPatientLaunch, completePatientLaunch, LaunchRefusedError } from "./launch";
export { accessTokenFor, ReconnectNeededError } from "./access-token";
