import Link from "next/link";
import { buttonClasses } from "@/components/ui/button";

export default function NotFound() {
  return (
    <main className="mx-auto flex min-h-[60vh] max-w-lg flex-col items-center justify-center gap-4 p-8 text-center">
      <p className="text-sm font-semibold text-slate-500">404</p>
      <h1 className="text-2xl font-bold">Page not found</h1>
      <Link href="/" className={buttonClasses("secondary")}>
        Back to HoloVitals
      </Link>
    </main>
  );
}
