// The accounting of disclosures (HIPAA 45 CFR 164.528): every access to a
// patient's record by someone other than the patient over a period, with who,
// what, the outcome and the basis, as data, CSV or a PDF the patient can keep.
import PDFDocument from "pdfkit";
import { z } from "zod";
import { accountSummaries } from "@/server/auth";
import { db } from "@/server/db/client";
import { AppError, AppErrorCode, fieldErrorsOf } from "@/server/errors";
import type { PatientRef } from "@/server/patient";
import { describeAccesses, type AccessEvent, type DescribedAccess } from "./access-history";
import { csvLine } from "./audit-explorer";

/** How far back a patient may ask for an accounting, and so the default period. */
const ACCOUNTING_YEARS = 6;

const day = (which: string) => z.coerce.date({ error: `Enter a valid ${which} date.` });

/** A period with either end open: the start defaults to six years before the end, the end to now. */
export const openPeriodInput = z.object({ from: day("start").optional(), to: day("end").optional() });
export const periodInput = z.object({ from: day("start"), to: day("end") });

export type ReportPeriod = { from: Date; to: Date };

const BACKWARDS = "The end of the period is before its start.";

export function reportPeriod({ from, to }: { from?: Date; to?: Date }): ReportPeriod {
  const end = to ?? new Date();
  const start = from ?? new Date(new Date(end).setUTCFullYear(end.getUTCFullYear() - ACCOUNTING_YEARS));
  if (start > end) throw new AppError(AppErrorCode.INVALID_INPUT, { user: BACKWARDS, fieldErrors: { to: [BACKWARDS] } });
  return { from: start, to: end };
}

/** A download link's parameters as input (blank ones left out); bad ones are an INVALID_INPUT naming each problem. */
export function queryInput<Schema extends z.ZodType>(schema: Schema, params: URLSearchParams): z.infer<Schema> {
  const parsed = schema.safeParse(Object.fromEntries([...params].filter(([, value]) => value.trim() !== "")));
  if (!parsed.success) {
    throw new AppError(AppErrorCode.INVALID_INPUT, { user: parsed.error.issues.map((issue) => issue.message).join(" "), fieldErrors: fieldErrorsOf(parsed.error) });
  }
  return parsed.data;
}

/** What an audit row says about a report: its period (no health data). */
export const describePeriod = (period: ReportPeriod) => `from ${period.from.toISOString()} to ${period.to.toISOString()}`;

/**
 * The accesses by others in the period, newest first, and who made them. Reads the whole trail (the view over the
 * archive and the hot table): an accounting reaches back years, past the hot window.
 */
export async function accountingOfDisclosures(patient: PatientRef, asked: { from?: Date; to?: Date }) {
  const period = reportPeriod(asked);
  const events = await db.$queryRaw<AccessEvent[]>`
    SELECT id, "occurredAt", "actorUserId"::text AS "actorUserId", "actorRole", action, outcome::text AS outcome, detail
      FROM compliance."AuditTrail"
     WHERE "patientId" = ${patient.id}::uuid AND "occurredAt" BETWEEN ${period.from} AND ${period.to}
       -- Anyone but the patient, including no one signed in (and a record no account claims has no "patient" to leave out).
       AND ("actorUserId" IS NULL OR "actorUserId" IS DISTINCT FROM ${patient.userId}::uuid)
     ORDER BY "occurredAt" DESC, id DESC`;
  const rows = await describeAccesses(patient.id, events);
  return { period, rows, byPerson: accessesByPerson(rows) };
}

export type AccountingOfDisclosures = Awaited<ReturnType<typeof accountingOfDisclosures>>;

function accessesByPerson(rows: DescribedAccess[]) {
  const people = new Map<string, { userId: string | null; name: string; role: string; allowed: number; refused: number; lastAt: Date }>();
  for (const { accessor, outcome, occurredAt } of rows) {
    const key = accessor.userId ?? "";
    const person = people.get(key) ?? { userId: accessor.userId, name: accessor.name, role: accessor.roleInWords, allowed: 0, refused: 0, lastAt: occurredAt };
    if (outcome === "DENIED") person.refused++;
    else person.allowed++;
    people.set(key, person);
  }
  return [...people.values()];
}

/** Whose record the report is about, for its heading: the account's name, and the record id either way. */
export async function recordHolderName(patient: PatientRef) {
  const name = patient.userId ? (await accountSummaries([patient.userId])).get(patient.userId)?.name : undefined;
  return name ? `${name} (record ${patient.id})` : `Record ${patient.id}`;
}

const CSV_HEADER = ["When", "Who", "Role", "What", "Action", "Outcome", "Why"];

export function disclosuresCsv(report: AccountingOfDisclosures) {
  const lines = report.rows.map((row) => csvLine([row.occurredAt, row.accessor.name, row.accessor.roleInWords, row.what, row.action, row.outcomeInWords, row.why]));
  return csvLine(CSV_HEADER) + lines.join("");
}

const minute = (date: Date) => date.toISOString().slice(0, 16).replace("T", " ");
const stamp = (date: Date) => `${minute(date)} UTC`;

// The standard PDF fonts (no font files to ship) encode WinAnsi only, and pdfkit garbles the rest of a string after
// any other character: accents come off ("ő" → "o"), what has no WinAnsi form becomes "?".
const WIN_ANSI_EXTRAS = new Set("€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ");
const encodable = (char: string) => char === "\n" || (char >= " " && char <= "~") || (char >= "\u00a0" && char <= "\u00ff") || WIN_ANSI_EXTRAS.has(char);
const winAnsi = (text: string) =>
  [...text.normalize("NFC")].map((char) => (encodable(char) ? char : [...char.normalize("NFKD")].filter(encodable).join("") || "?")).join("");

const PAGE = { margin: 50, width: 612, height: 792 };
const TABLE = [
  { title: "When (UTC)", width: 80, cell: (row: DescribedAccess) => minute(row.occurredAt) },
  { title: "Who", width: 120, cell: (row: DescribedAccess) => `${row.accessor.name}\n${row.accessor.roleInWords}` },
  { title: "What", width: 130, cell: (row: DescribedAccess) => row.what },
  { title: "Outcome", width: 50, cell: (row: DescribedAccess) => row.outcomeInWords },
  { title: "Why", width: 132, cell: (row: DescribedAccess) => row.why },
];
const GAP = 6;
/** Rows stop here; the page number sits below. */
const TABLE_BOTTOM = PAGE.height - PAGE.margin - 14;

function drawRow(doc: PDFKit.PDFDocument, cells: string[], font: string) {
  doc.font(font).fontSize(8.5);
  const texts = cells.map(winAnsi);
  const height = Math.max(...texts.map((text, i) => doc.heightOfString(text, { width: TABLE[i].width - GAP }))) + GAP;
  if (doc.y + height > TABLE_BOTTOM) {
    doc.addPage();
    if (font !== "Helvetica-Bold") drawRow(doc, TABLE.map((column) => column.title), "Helvetica-Bold");
    doc.font(font).fontSize(8.5);
  }
  const top = doc.y;
  let x = PAGE.margin;
  texts.forEach((text, i) => {
    doc.text(text, x, top, { width: TABLE[i].width - GAP });
    x += TABLE[i].width;
  });
  doc.moveTo(PAGE.margin, top + height - GAP / 2).lineTo(PAGE.width - PAGE.margin, top + height - GAP / 2).lineWidth(0.4).stroke("#999999");
  doc.x = PAGE.margin;
  doc.y = top + height;
}

/** The report as a PDF (built whole in memory: a report is at most a few thousand rows), numbered "Page n of m". */
export function disclosuresPdf(report: AccountingOfDisclosures, holder: string, generatedAt = new Date()): Promise<Buffer> {
  const doc = new PDFDocument({ size: "LETTER", margin: PAGE.margin, bufferPages: true, info: { Title: "Accounting of disclosures", Creator: "HoloVitals" } });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });

  doc.font("Helvetica-Bold").fontSize(16).text("Accounting of disclosures");
  doc.moveDown(0.4).font("Helvetica").fontSize(10);
  doc.text(winAnsi(`Patient: ${holder}`));
  doc.text(`Period: ${stamp(report.period.from)} to ${stamp(report.period.to)}`);
  doc.text(`Generated: ${stamp(generatedAt)}`);
  doc.moveDown(0.6).fontSize(9);
  doc.text("Every time someone other than the patient opened or changed this record, or tried to, and under which permission.");
  doc.moveDown(0.6);
  if (report.rows.length === 0) {
    doc.fontSize(10).text("No one else opened or changed this record, or tried to, in this period.");
  } else {
    for (const person of report.byPerson) {
      doc.text(winAnsi(`${person.name} (${person.role}): ${person.allowed} allowed, ${person.refused} refused; last on ${stamp(person.lastAt)}`));
    }
    doc.moveDown(0.8);
    drawRow(doc, TABLE.map((column) => column.title), "Helvetica-Bold");
    for (const row of report.rows) drawRow(doc, TABLE.map((column) => column.cell(row)), "Helvetica");
  }

  const pages = doc.bufferedPageRange();
  for (let i = 0; i < pages.count; i++) {
    doc.switchToPage(pages.start + i);
    // Writing inside the bottom margin would otherwise start a new page.
    doc.page.margins.bottom = 0;
    doc.font("Helvetica").fontSize(8).text(`Page ${i + 1} of ${pages.count}`, PAGE.margin, PAGE.height - PAGE.margin, { width: PAGE.width - 2 * PAGE.margin, align: "center", lineBreak: false });
  }
  doc.end();
  return ended;
}
