// An access token as the ehr domain keeps it between requests, for a patient's
// own connection and a clinic's backend services connection alike: sealed, with
// when it expires, and used until shortly before then.
import type * as oauth from "oauth4webapi";
import { AppError } from "@/server/errors";
import { openSecret, sealSecret } from "./token-vault";

/** Renewed this long before it expires, so a request never goes out with a token about to lapse. */
const RENEWAL_MARGIN_MS = 60_000;

/** No token can be had until someone acts: the patient connects again, or the clinic fixes its registration. */
export class ReconnectNeededError extends AppError {}

export function sealedAccessToken(tokens: oauth.TokenEndpointResponse) {
  return {
    accessTokenSealed: sealSecret(tokens.access_token),
    // expires_in 0 is a token already expired, not one without an expiry.
    accessTokenExpiresAt: tokens.expires_in !== undefined ? new Date(Date.now() + tokens.expires_in * 1000) : null,
  };
}

/** The stored token while it is good for a while yet, else null. */
export function freshAccessToken(stored: { accessTokenSealed: string | null; accessTokenExpiresAt: Date | null }): string | null {
  if (!stored.accessTokenSealed) return null;
  if (stored.accessTokenExpiresAt && stored.accessTokenExpiresAt.getTime() - Date.now() <= RENEWAL_MARGIN_MS) return null;
  return openSecret(stored.accessTokenSealed);
}
