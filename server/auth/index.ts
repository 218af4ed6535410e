// Public API of the auth domain: what other domains and scripts may use.
export { resolveSessionUser, signUpPatient, signUpProfessional, userSummary, type SessionUser, type Actor } from "./service";
export { seedDemoAccounts, DEMO_ACCOUNTS, DEMO_PASSWORD } from "./seed";
