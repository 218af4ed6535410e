"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

/** Tabs between the views of one record, with the current one marked for screen readers too. */
export function RecordNav({ label, links }: { label: string; links: { href: string; label: string }[] }) {
  const pathname = usePathname();
  // The longest matching link is current: /…/labs/123 is under Labs, not Overview.
  const current = links.filter((link) => pathname === link.href || pathname.startsWith(`${link.href}/`)).sort((a, b) => b.href.length - a.href.length)[0];
  return (
    <nav aria-label={label} className="flex gap-1 border-b border-slate-200">
      {links.map((link) => {
        const active = link === current;
        return (
          <Link
            key={link.href}
            href={link.href}
            aria-current={active ? "page" : undefined}
            className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium ${active ? "border-brand-600 text-brand-700" : "border-transparent text-slate-600 hover:text-slate-900"}`}
          >
            {link.label}
          </Link>
        );
      })}
    </nav>
  );
}
