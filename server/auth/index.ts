// Public API of the auth domain: what other domains and scripts may use.
export {
  accessorById,
  findProfessionalByEmail,
  findUserByEmail,
  accountSummaries,
  resolveSessionUser,
  signUpPatient,
  signUpProfessional,
  professionalProfileOf,
  verifiedProfessionalsIn,
  userSummary,
  type SessionUser,
  type Actor,
} from "./service";
export { seedDemoAccounts } from "./seed";
export { sessionClaims } from "./session-token";
