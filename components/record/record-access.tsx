import Link from "next/link";
import { Alert } from "@/components/ui/alert";

/** A record procedure refused the caller (grant revoked, expired or never given), on the server or in the browser. */
export function isAccessRefused(error: unknown) {
  const failure = error as { code?: unknown; data?: { code?: unknown } | null } | null;
  return failure?.code === "FORBIDDEN" || failure?.data?.code === "FORBIDDEN";
}

/** Shown instead of a record the viewer may no longer open. */
export function AccessRefused() {
  return (
    <Alert tone="error">
      <p>You no longer have access to this record. The patient may have revoked or let the grant expire.</p>
      <p className="mt-2">
        <Link href="/professional" className="font-medium underline">
          Back to my patients
        </Link>
      </p>
    </Alert>
  );
}

/** A part of the record the patient's grant does not cover. */
export function NotShared() {
  return <p className="text-sm text-slate-500 italic">Not shared with you</p>;
}
