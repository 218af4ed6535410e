// Why a portal launch ended without a connection, carried from the callback to
// the Connected records page in a short-lived cookie rather than in the
// address: a link someone crafted could otherwise put their own words on the
// page under our heading.
export const LAUNCH_REFUSAL_COOKIE = "hv_ehr_launch_refusal";
export const CONNECTED_RECORDS_PATH = "/patient/connected-records";

/** Long enough for the redirect and a slow page load; the notice is not meant to outlive them. */
const NOTICE_SECONDS = 120;

export function launchRefusalCookie(message: string, secure: boolean) {
  return [
    `${LAUNCH_REFUSAL_COOKIE}=${encodeURIComponent(message)}`,
    `Path=${CONNECTED_RECORDS_PATH}`,
    `Max-Age=${NOTICE_SECONDS}`,
    "HttpOnly",
    "SameSite=Lax",
    ...(secure ? ["Secure"] : []),
  ].join("; ");
}

export function readLaunchRefusal(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    return decodeURIComponent(value).slice(0, 500) || undefined;
  } catch {
    return undefined;
  }
}
