// Public API of the auth domain: what other domains and scripts may use.
export {
  findProfessionalByEmail,
  resolveSessionUser,
  signUpPatient,
  signUpProfessional,
  userSummary,
  type SessionUser,
  type Actor,
} from "./service";
export { seedDemoAccounts, DEMO_ACCOUNTS, DEMO_PASSWORD } from "./seed";
