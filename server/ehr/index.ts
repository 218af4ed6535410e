// Public API of the ehr domain.
export { startPatientLaunch, completePatientLaunch, LaunchRefusedError } from "./launch";
export { accessTokenFor, ReconnectNeededError } from "./access-token";
export { requestDueEhrSyncs, requestEhrSync } from "./sync-requests";
export { beginSyncRun, syncPage, finishSyncRun, failSyncRun } from "./sync";
export { PortalBusyError, PortalRequestRefusedError } from "./portal-requests";
export { organizationJwks } from "./backend-services";
export { CONNECTED_RECORDS_PATH, LAUNCH_REFUSAL_COOKIE, launchRefusalCookie, readLaunchRefusal } from "./launch-notice";
