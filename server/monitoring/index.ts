// Public API of the monitoring domain: the server error log. Kept free of
// server/errors.ts and server/trpc.ts, which record errors through it.
export { recordServerError, type ServerErrorReport } from "./error-log";
export { resolveServerErrorGroup, serverErrorCountSince, serverErrorGroup, serverErrorGroups } from "./error-groups";
