import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { TextField } from "@/components/ui/text-field";

/** A report's period; an open end is the report's default (now, or six years back). */
export type Period = { from?: Date; to?: Date };

/** The form's dates as a period: whole days in the reader's time zone, blanks left open. */
export function periodOf(form: FormData): Period {
  const day = (name: string) => String(form.get(name) ?? "").trim();
  const from = day("from");
  const to = day("to");
  return { from: from ? new Date(`${from}T00:00:00`) : undefined, to: to ? new Date(`${to}T23:59:59.999`) : undefined };
}

/** A date as a date input shows it, in the reader's time zone. */
export function dayOf(date: Date) {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, "0")}-${String(date.getDate()).padStart(2, "0")}`;
}

/** A download route's address with the period (and any other parameters) in its query. */
export function reportHref(path: string, period: Period, params: Record<string, string> = {}) {
  const query = new URLSearchParams(params);
  if (period.from) query.set("from", period.from.toISOString());
  if (period.to) query.set("to", period.to.toISOString());
  return `${path}?${query}`;
}

export function PeriodFields({ errors = {}, from, to, required = false }: { errors?: Record<string, string[]>; from?: Date; to?: Date; required?: boolean }) {
  return (
    <>
      <TextField label="From" name="from" type="date" required={required} defaultValue={from && dayOf(from)} errors={errors.from} />
      <TextField label="To" name="to" type="date" required={required} defaultValue={to && dayOf(to)} errors={errors.to} />
    </>
  );
}

/** The period card every report opens with: its dates, and Show to read the report over them. */
export function PeriodForm({ description, onPeriod, ...fields }: { description: string; onPeriod: (period: Period) => void } & Parameters<typeof PeriodFields>[0]) {
  return (
    <Card title="Period" description={description}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          onPeriod(periodOf(new FormData(event.currentTarget)));
        }}
        aria-label="Period of the report"
        className="flex flex-wrap items-end gap-4"
      >
        <PeriodFields {...fields} />
        <Button type="submit">Show</Button>
      </form>
    </Card>
  );
}
