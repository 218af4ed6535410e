import Link from "next/link";
import { buttonClasses } from "@/components/ui/button";

export default function Forbidden() {
  return (
    <main className="mx-auto flex min-h-[60vh] max-w-lg flex-col items-center justify-center gap-4 p-8 text-center">
      <p className="text-sm font-semibold text-red-700">403</p>
      <h1 className="text-2xl font-bold">You do not have access to this page</h1>
      <p className="text-slate-600">
        This area belongs to another kind of account. The attempt has been recorded in the audit trail.
      </p>
      <Link href="/" className={buttonClasses("secondary")}>
        Go to your home page
      </Link>
    </main>
  );
}
