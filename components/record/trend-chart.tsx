import { formatDate } from "@/components/patient/record-categories";
import { DataTable } from "@/components/ui/data-table";
import { FlagBadge, flagLabel, isOutOfRange } from "./flag-badge";
import type { LabTrend, RecordViewer } from "./record-types";
import { SourceBadge, sourceDocumentHref } from "./source-badge";

type TrendPoint = LabTrend["points"][number];
type Range = { low: number | null; high: number | null };

const WIDTH = 720;
const HEIGHT = 300;
const MARGIN = { top: 20, right: 24, bottom: 48, left: 72 };
const PLOT = { left: MARGIN.left, right: WIDTH - MARGIN.right, top: MARGIN.top, bottom: HEIGHT - MARGIN.bottom };
const DAY = 86_400_000;

/** "70–99 mg/dL", "≥ 70 mg/dL", or a dash when the lab gave no range. */
export function formatRange(range: Range | null, unit: string | null) {
  const suffix = unit ? ` ${unit}` : "";
  if (!range || (range.low === null && range.high === null)) return "—";
  if (range.low !== null && range.high !== null) return `${range.low}–${range.high}${suffix}`;
  return range.low !== null ? `≥ ${range.low}${suffix}` : `≤ ${range.high}${suffix}`;
}

/** Round steps (1, 2 or 5 × 10ⁿ) for about `count` value ticks between min and max. */
function valueTicks(min: number, max: number, count = 5) {
  const rough = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude;
  const low = Math.floor(min / step) * step;
  const high = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let tick = low; tick <= high + step / 2; tick += step) ticks.push(Number(tick.toFixed(10)));
  return { ticks, low, high, decimals: Math.max(0, -Math.floor(Math.log10(step))) };
}

const CALENDAR_STEPS = [
  { unit: "day", size: 1 },
  { unit: "day", size: 7 },
  { unit: "month", size: 1 },
  { unit: "month", size: 3 },
  { unit: "month", size: 6 },
  { unit: "year", size: 1 },
  { unit: "year", size: 2 },
  { unit: "year", size: 5 },
  { unit: "year", size: 10 },
  { unit: "year", size: 25 },
] as const;

/** Date ticks on calendar boundaries (weeks, months, years), at most six. */
function dateTicks(start: number, end: number) {
  for (const step of CALENDAR_STEPS) {
    const ticks: Date[] = [];
    const first = new Date(start);
    let cursor =
      step.unit === "day"
        ? new Date(first.getFullYear(), first.getMonth(), first.getDate() + 1)
        : step.unit === "month"
          ? new Date(first.getFullYear(), Math.ceil((first.getMonth() + 1) / step.size) * step.size, 1)
          : new Date(Math.ceil((first.getFullYear() + 1) / step.size) * step.size, 0, 1);
    while (cursor.getTime() <= end && ticks.length <= 6) {
      ticks.push(cursor);
      cursor =
        step.unit === "day"
          ? new Date(cursor.getFullYear(), cursor.getMonth(), cursor.getDate() + step.size)
          : step.unit === "month"
            ? new Date(cursor.getFullYear(), cursor.getMonth() + step.size, 1)
            : new Date(cursor.getFullYear() + step.size, 0, 1);
    }
    if (ticks.length <= 6) {
      const format: Intl.DateTimeFormatOptions =
        step.unit === "day" ? { month: "short", day: "numeric" } : step.unit === "month" ? { month: "short", year: "numeric" } : { year: "numeric" };
      return ticks.map((date) => ({ at: date.getTime(), label: date.toLocaleDateString("en-US", format) }));
    }
  }
  return [];
}

const FLAG_MARK: Record<string, string> = { low: "L", high: "H", "critical-low": "LL", "critical-high": "HH", abnormal: "A" };

/**
 * One test's results over time: a line through the results, the reference
 * range as a shaded band, out-of-range results drawn as labelled diamonds
 * (shape and letter, not colour alone), and the same data as a table below.
 */
export function TrendChart({ name, unit, referenceRange, points, viewer, documentHref }: {
  name: string;
  unit: string | null;
  referenceRange: Range | null;
  points: TrendPoint[];
  viewer: RecordViewer;
  /** The page of a lab report, for results read from one. */
  documentHref: (documentId: string) => string;
}) {
  const plotted = points
    .filter((p): p is TrendPoint & { value: number; effectiveAt: Date } => p.value !== null && p.effectiveAt !== null)
    .sort((a, b) => a.effectiveAt.getTime() - b.effectiveAt.getTime());
  const newestFirst = [...points].reverse();
  const label = `${name} trend`;
  const latest = newestFirst[0];
  const summary = plotted.length
    ? `${plotted.length} result${plotted.length === 1 ? "" : "s"} from ${formatDate(plotted[0].effectiveAt)} to ${formatDate(plotted.at(-1)!.effectiveAt)}. ` +
      `Latest: ${latest.text}${latest.flag ? ` (${flagLabel(latest.flag)})` : ""}. Reference range: ${formatRange(referenceRange, unit)}.`
    : "";

  return (
    <figure className="space-y-4">
      {plotted.length ? (
        // Narrow screens scroll the chart sideways rather than shrink its labels out of reading size.
        <div className="overflow-x-auto">
          <Chart label={label} summary={summary} name={name} unit={unit} range={referenceRange} plotted={plotted} />
        </div>
      ) : (
        <p className="text-sm text-slate-600">These results are not numbers, so they cannot be drawn as a chart. They are listed below.</p>
      )}
      {plotted.length > 0 && (
        <figcaption className="flex flex-wrap items-center gap-x-6 gap-y-2 text-sm text-slate-600">
          {referenceRange && (
            <span className="flex items-center gap-2">
              <span aria-hidden="true" className="inline-block h-3 w-5 rounded-sm bg-emerald-100 ring-1 ring-emerald-300" />
              Reference range {formatRange(referenceRange, unit)}
            </span>
          )}
          <span className="flex items-center gap-2">
            <svg aria-hidden="true" viewBox="0 0 12 12" className="size-3">
              <circle cx="6" cy="6" r="5" className="fill-brand-600" />
            </svg>
            In range or no range given
          </span>
          <span className="flex items-center gap-2">
            <svg aria-hidden="true" viewBox="0 0 14 14" className="size-3.5">
              <path d="M7 0 L14 7 L7 14 L0 7 Z" className="fill-red-600" />
            </svg>
            Out of range (H high, L low)
          </span>
        </figcaption>
      )}
      <DataTable caption={`${name} results, newest first`} columns={["Date", "Result", "Flag", "Reference range", "Source"]}>
        {newestFirst.map((point) => (
          <tr key={point.id}>
            <td className="py-2 pr-4 whitespace-nowrap text-slate-700">{point.effectiveAt ? formatDate(point.effectiveAt) : "Date unknown"}</td>
            <td className="py-2 pr-4 text-slate-900">{point.text}</td>
            <td className="py-2 pr-4">
              <FlagBadge flag={point.flag} />
            </td>
            <td className="py-2 pr-4 text-slate-700">{formatRange(point, point.unit)}</td>
            <td className="py-2">
              <SourceBadge kind={point.source.kind} viewer={viewer} href={sourceDocumentHref(point.source, documentHref)} />
            </td>
          </tr>
        ))}
      </DataTable>
    </figure>
  );
}

function Chart({ label, summary, name, unit, range, plotted }: {
  label: string;
  summary: string;
  name: string;
  unit: string | null;
  range: Range | null;
  plotted: (TrendPoint & { value: number; effectiveAt: Date })[];
}) {
  // Time: at least two weeks wide, with a little room so no point sits on an axis.
  const first = plotted[0].effectiveAt.getTime();
  const last = plotted.at(-1)!.effectiveAt.getTime();
  const middle = (first + last) / 2;
  const half = Math.max((last - first) / 2, 7 * DAY) * 1.06;
  const [start, end] = [middle - half, middle + half];

  // Values: every result and both range limits, so the band is always in view.
  const bounds = [...plotted.map((p) => p.value), range?.low, range?.high].filter((v): v is number => v !== null && v !== undefined);
  let [min, max] = [Math.min(...bounds), Math.max(...bounds)];
  if (min === max) {
    const pad = Math.abs(min) * 0.1 || 1;
    [min, max] = [min - pad, max + pad];
  }
  const values = valueTicks(min, max);
  const format = new Intl.NumberFormat("en-US", { maximumFractionDigits: values.decimals });

  const x = (time: number) => PLOT.left + ((time - start) / (end - start)) * (PLOT.right - PLOT.left);
  const y = (value: number) => PLOT.bottom - ((value - values.low) / (values.high - values.low)) * (PLOT.bottom - PLOT.top);
  const bandTop = range?.high !== null && range?.high !== undefined ? y(range.high) : PLOT.top;
  const bandBottom = range?.low !== null && range?.low !== undefined ? y(range.low) : PLOT.bottom;
  const titleId = `trend-${label.replace(/\W+/g, "-")}-title`;
  const descId = `${titleId}-desc`;

  return (
    <svg
      role="img"
      aria-label={label}
      aria-describedby={descId}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      className="h-auto w-full min-w-[34rem] overflow-visible text-[12px]"
    >
      <title id={titleId}>{label}</title>
      <desc id={descId}>{summary}</desc>

      {range && (
        <rect
          data-testid="reference-band"
          x={PLOT.left}
          width={PLOT.right - PLOT.left}
          y={bandTop}
          height={Math.max(bandBottom - bandTop, 0)}
          className="fill-emerald-100"
        >
          <title>{`Reference range ${formatRange(range, unit)}`}</title>
        </rect>
      )}

      {values.ticks.map((tick) => (
        <g key={tick}>
          <line x1={PLOT.left} x2={PLOT.right} y1={y(tick)} y2={y(tick)} className="stroke-slate-200" strokeDasharray={tick === values.low ? undefined : "2 4"} />
          <text x={PLOT.left - 8} y={y(tick)} dy="0.32em" textAnchor="end" className="fill-slate-600">
            {format.format(tick)}
          </text>
        </g>
      ))}
      <text transform={`translate(16 ${(PLOT.top + PLOT.bottom) / 2}) rotate(-90)`} textAnchor="middle" className="fill-slate-700 font-medium">
        {/* The test's name heads the chart; long LOINC names would not fit along the axis. */}
        {unit ?? "Result"}
      </text>

      {dateTicks(start, end).map((tick) => (
        <g key={tick.at}>
          <line x1={x(tick.at)} x2={x(tick.at)} y1={PLOT.bottom} y2={PLOT.bottom + 5} className="stroke-slate-400" />
          <text x={x(tick.at)} y={PLOT.bottom + 18} textAnchor="middle" className="fill-slate-600">
            {tick.label}
          </text>
        </g>
      ))}
      <line x1={PLOT.left} x2={PLOT.right} y1={PLOT.bottom} y2={PLOT.bottom} className="stroke-slate-400" />
      <text x={(PLOT.left + PLOT.right) / 2} y={HEIGHT - 6} textAnchor="middle" className="fill-slate-700 font-medium">
        Date
      </text>

      <polyline
        points={plotted.map((p) => `${x(p.effectiveAt.getTime())},${y(p.value)}`).join(" ")}
        fill="none"
        strokeWidth={2}
        strokeLinejoin="round"
        className="stroke-brand-500"
      />

      {plotted.map((point) => {
        const [cx, cy] = [x(point.effectiveAt.getTime()), y(point.value)];
        const tooltip = `${formatDate(point.effectiveAt)}: ${point.text}${point.flag ? ` (${flagLabel(point.flag)})` : ""}`;
        if (!isOutOfRange(point.flag)) {
          return (
            <circle key={point.id} data-testid="trend-point" data-flag={point.flag ?? "none"} cx={cx} cy={cy} r={5} className="fill-brand-600 stroke-white" strokeWidth={1.5}>
              <title>{tooltip}</title>
            </circle>
          );
        }
        const critical = point.flag === "critical-low" || point.flag === "critical-high";
        return (
          <g key={point.id}>
            <path
              data-testid="trend-point"
              data-flag={point.flag ?? "none"}
              d={`M${cx} ${cy - 7} L${cx + 7} ${cy} L${cx} ${cy + 7} L${cx - 7} ${cy} Z`}
              className={`${critical ? "fill-red-700" : "fill-red-600"} stroke-white`}
              strokeWidth={1.5}
            >
              <title>{tooltip}</title>
            </path>
            <text x={cx} y={cy - 11} textAnchor="middle" className="fill-red-700 font-semibold" aria-hidden="true">
              {FLAG_MARK[point.flag!]}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
