// Absolute URLs of our own pages for other servers to send people back to (an
// EHR portal after sign-in, Stripe after checkout): on the public URL when
// AUTH_URL (or NEXTAUTH_URL) names it, as Auth.js does behind a proxy that
// rewrites the host; otherwise on the host the browser called, as Next
// forwards it.
import { headers } from "next/headers";
import { AppError, AppErrorCode } from "@/server/errors";

export async function publicUrl(path: string, env: Record<string, string | undefined> = process.env): Promise<string> {
  const configured = env.AUTH_URL || env.NEXTAUTH_URL;
  if (configured) return new URL(path, configured).toString();
  const request = await headers();
  const host = request.get("x-forwarded-host") ?? request.get("host");
  if (!host) throw new AppError(AppErrorCode.NOT_CONFIGURED, { internal: `no AUTH_URL and no host header to build ${path}'s public URL from` });
  const protocol = request.get("x-forwarded-proto")?.split(",")[0]?.trim() ?? "https";
  return new URL(path, `${protocol}://${host.split(",")[0].trim()}`).toString();
}
