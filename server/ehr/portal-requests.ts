// GET requests to a portal's FHIR API on behalf of a connection, as a well
// behaved client makes them: the bearer token refreshed when the portal turns
// it down, 429 Retry-After honoured, 5xx and timeouts retried with backoff,
// and the token never sent to a host other than the portal's own.
import { AppError, AppErrorCode } from "@/server/errors";
import { accessTokenFor, discardAccessToken, needsReconnect } from "./access-token";

/** The portal asks us to come back later (429), or keeps failing (5xx, timeouts): the job retries the page then. */
export class PortalBusyError extends AppError {
  constructor(
    readonly retryAfterSeconds: number | null,
    options: ConstructorParameters<typeof AppError>[1],
  ) {
    super(AppErrorCode.REMOTE_UNAVAILABLE, options);
  }
}

/** The portal refused the request itself (4xx other than 401/429): asking again will not help. */
export class PortalRequestRefusedError extends AppError {
  constructor(
    readonly status: number,
    options: ConstructorParameters<typeof AppError>[1],
  ) {
    super(AppErrorCode.REMOTE_UNAVAILABLE, options);
  }
}

const ATTEMPTS = 4;
const BACKOFF_MS = 500;
/** A Retry-After up to this is waited for here; a longer one ends the step, which the job retries when it is due. */
const INLINE_RETRY_AFTER_MAX_S = 10;

const timeoutMs = () => Number(process.env.EHR_REQUEST_TIMEOUT_MS ?? 30_000);
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Exponential backoff between attempts; none after the last, whose failure goes to the job. */
const backOff = (attempt: number) => (attempt < ATTEMPTS - 1 ? wait(BACKOFF_MS * 2 ** attempt) : Promise.resolve());

/** Seconds to wait from a Retry-After header: delta-seconds or an HTTP date (RFC 9110). */
function retryAfterSeconds(header: string | null): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, Math.ceil((at - Date.now()) / 1000)) : null;
}

export type PortalConnection = { connectionId: string; fhirBaseUrl: string; providerName: string };
export type PortalResponse = { body: unknown; /** The portal's clock (Date header), for the next incremental sync. */ servedAt: Date | null };

export async function getFromPortal(url: string, portal: PortalConnection): Promise<PortalResponse> {
  // Paging links come from the portal; a link elsewhere must not receive the patient's token.
  if (new URL(url).origin !== new URL(portal.fhirBaseUrl).origin) {
    throw new PortalRequestRefusedError(0, { internal: `refusing to follow ${url} outside ${portal.fhirBaseUrl}`, user: `${portal.providerName} sent a link to another server; the sync stopped there.` });
  }
  let tokenRefreshed = false;
  let lastProblem = "";
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const token = await accessTokenFor(portal.connectionId);
    let response: Response;
    try {
      response = await fetch(url, { headers: { accept: "application/fhir+json", authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(timeoutMs()) });
    } catch (error) {
      lastProblem = error instanceof Error && error.name === "TimeoutError" ? `no answer within ${timeoutMs()} ms` : `network error: ${String(error)}`;
      await backOff(attempt);
      continue;
    }
    if (response.ok) {
      const date = Date.parse(response.headers.get("date") ?? "");
      return { body: await response.json(), servedAt: Number.isFinite(date) ? new Date(date) : null };
    }
    await response.body?.cancel();
    if (response.status === 401 && !tokenRefreshed) {
      // The portal may end a token early (a restart, a policy); one refresh tells that from a withdrawn grant.
      tokenRefreshed = true;
      await discardAccessToken(portal.connectionId);
      continue;
    }
    if (response.status === 429) {
      const after = retryAfterSeconds(response.headers.get("retry-after"));
      if (after !== null && after > INLINE_RETRY_AFTER_MAX_S) {
        throw new PortalBusyError(after, { internal: `${url} answered 429, retry after ${after} s`, user: `${portal.providerName} asked us to slow down; the sync continues shortly.` });
      }
      lastProblem = "429 too many requests";
      if (after !== null && attempt < ATTEMPTS - 1) await wait(after * 1000);
      else await backOff(attempt);
      continue;
    }
    if (response.status >= 500) {
      lastProblem = `${response.status} server error`;
      await backOff(attempt);
      continue;
    }
    // A token just issued and still turned down: the patient's grant was withdrawn at the portal.
    if (response.status === 401) return needsReconnect(portal.connectionId, portal.providerName, `${url} refused a freshly issued token`);
    throw new PortalRequestRefusedError(response.status, { internal: `${url} answered ${response.status}`, user: `${portal.providerName} refused a request (${response.status}).` });
  }
  throw new PortalBusyError(null, { internal: `${url}: ${lastProblem} after ${ATTEMPTS} attempts`, user: `${portal.providerName} is not answering right now; the sync will try again.` });
}
