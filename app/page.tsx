import Link from "next/link";
import { buttonClasses } from "@/components/ui/button";
import { Logo } from "@/components/logo";

const FEATURES = [
  {
    title: "Gather everything",
    text: "Connect your hospitals' patient portals (SMART on FHIR), upload lab reports as PDFs or photos, or add what you know yourself.",
  },
  {
    title: "Standardised, not scattered",
    text: "Every result is mapped to LOINC, ICD-10 and UCUM units, so results from different labs line up on one chart.",
  },
  {
    title: "Understand what stands out",
    text: "Out-of-range results, trends over time and what is missing to know more, with the evidence behind each finding.",
  },
  {
    title: "Second opinions, on your terms",
    text: "Share your record with verified professionals for exactly the parts and the time you choose. Revoke any time.",
  },
  {
    title: "Every access on record",
    text: "Each view and change of your health data is authorised, consented and written to a tamper-evident audit trail you can read.",
  },
];

export default function LandingPage() {
  return (
    <div className="min-h-screen bg-white">
      <header className="mx-auto flex max-w-6xl items-center justify-between px-4 py-4">
        <Logo />
        <nav aria-label="Account" className="flex items-center gap-3">
          <Link href="/pricing" className={buttonClasses("ghost")}>
            Pricing
          </Link>
          <Link href="/sign-in" className={buttonClasses("ghost")}>
            Sign in
          </Link>
          <Link href="/sign-up" className={buttonClasses("primary")}>
            Create your record
          </Link>
        </nav>
      </header>
      <main>
        <section className="mx-auto max-w-4xl px-4 py-20 text-center">
          <h1 className="text-4xl font-bold tracking-tight text-slate-900 sm:text-5xl">
            Your whole health record, in one place.
          </h1>
          <p className="mx-auto mt-6 max-w-2xl text-lg text-slate-600">
            HoloVitals brings together the records from your hospitals, your lab reports and what you track yourself,
            makes sense of them, and lets the professionals you trust review them with your consent.
          </p>
          <div className="mt-10 flex flex-wrap justify-center gap-4">
            <Link href="/sign-up" className={buttonClasses("primary")}>
              Create your free record
            </Link>
            <Link href="/sign-up/professional" className={buttonClasses("secondary")}>
              I am a healthcare professional
            </Link>
          </div>
        </section>
        <section aria-label="What HoloVitals does" className="bg-slate-50 py-16">
          <ul className="mx-auto grid max-w-6xl gap-6 px-4 sm:grid-cols-2 lg:grid-cols-3">
            {FEATURES.map((feature) => (
              <li key={feature.title} className="rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
                <h2 className="font-semibold text-slate-900">{feature.title}</h2>
                <p className="mt-2 text-sm text-slate-600">{feature.text}</p>
              </li>
            ))}
          </ul>
        </section>
      </main>
      <footer className="mx-auto max-w-6xl px-4 py-8 text-sm text-slate-500">
        HoloVitals is open source. It is not a medical device and does not replace your clinician.
      </footer>
    </div>
  );
}
