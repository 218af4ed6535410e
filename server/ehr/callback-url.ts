// Where portals send patients back after they sign in (the redirect URI each
// vendor registered for this deployment): on the public URL when AUTH_URL (or
// NEXTAUTH_URL) names it, as Auth.js does behind a proxy that rewrites the
// host; otherwise on the host the browser called, as Next forwards it.
import { headers } from "next/headers";
import { AppError, AppErrorCode } from "@/server/errors";

const CALLBACK_PATH = "/api/ehr/callback";

export async function ehrCallbackUrl(env: Record<string, string | undefined> = process.env): Promise<string> {
  const configured = env.AUTH_URL || env.NEXTAUTH_URL;
  if (configured) return new URL(CALLBACK_PATH, configured).toString();
  const request = await headers();
  const host = request.get("x-forwarded-host") ?? request.get("host");
  if (!host) throw new AppError(AppErrorCode.NOT_CONFIGURED, { internal: "no AUTH_URL and no host header to build the EHR callback URL from" });
  const protocol = request.get("x-forwarded-proto")?.split(",")[0]?.trim() ?? "https";
  return new URL(CALLBACK_PATH, `${protocol}://${host.split(",")[0].trim()}`).toString();
}
