import type { ReactNode } from "react";

/** What a page shows before there is anything to show: what this is and what to do next. */
export function EmptyState({ title, children, steps }: {
  title: string;
  children?: ReactNode;
  steps?: { title: string; description: string; status?: string }[];
}) {
  return (
    <div className="rounded-lg border-2 border-dashed border-slate-300 bg-white p-8 text-center">
      <h2 className="text-lg font-semibold text-slate-900">{title}</h2>
      {children && <div className="mx-auto mt-2 max-w-xl text-sm text-slate-600">{children}</div>}
      {steps && (
        <ol className="mx-auto mt-6 grid max-w-3xl gap-4 text-left sm:grid-cols-3">
          {steps.map((step, index) => (
            <li key={step.title} className="rounded-md bg-slate-50 p-4 ring-1 ring-slate-200">
              <p className="text-xs font-semibold uppercase tracking-wide text-brand-700">Step {index + 1}</p>
              <p className="mt-1 font-medium text-slate-900">{step.title}</p>
              <p className="mt-1 text-sm text-slate-600">{step.description}</p>
              {step.status && <p className="mt-2 text-xs text-slate-500">{step.status}</p>}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
