// Who is calling, from the request headers. The proxy sets x-request-id on
// every request; behind Vercel or any reverse proxy the client address is the
// first hop of x-forwarded-for.
import { randomUUID } from "node:crypto";

export type RequestMeta = { requestId: string; clientIp: string | null; userAgent: string | null };

export function requestMetaFrom(headers: Headers): RequestMeta {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return {
    requestId: headers.get("x-request-id") ?? randomUUID(),
    clientIp: forwarded || headers.get("x-real-ip") || null,
    userAgent: headers.get("user-agent")?.slice(0, 512) ?? null,
  };
}
