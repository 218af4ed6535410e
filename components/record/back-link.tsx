import Link from "next/link";
import type { ReactNode } from "react";

/** The way back up from a detail page, e.g. from one test's trend to all lab results. */
export function BackLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <Link href={href} className="inline-flex items-center gap-1 text-sm font-medium text-brand-700 hover:underline">
      <span aria-hidden="true">←</span>
      {children}
    </Link>
  );
}
