// `npm run bench:ehr`: a connected portal's first sync at scale. One synthetic
// patient with BENCH_EHR_RESOURCES resources (default 20,000; the generator of
// scripts/lib/synthetic) is served by the loopback FHIR server of the tests
// (Patient/$everything, paging links) behind the loopback SMART authorisation
// server; the patient connects through the real standalone launch, and the
// sync job runs on the real embedded executor against its own embedded
// PostgreSQL under .data/bench-ehr-postgres. Measures resources/s end to end
// (requestEhrSync → EhrSyncRun COMPLETED), time per page, how much of it the
// FHIR server (same process) took, peak RSS, CPU of this process and of
// PostgreSQL, and a second, incremental sync with nothing changed. Prints a
// table and writes bench/results/ehr.json. Reports, never fails on a target.
//
//   npm run bench:ehr
//   BENCH_EHR_RESOURCES=5000 BENCH_EHR_PAGE_SIZE=1000 npm run bench:ehr
import { createHash, randomBytes } from "node:crypto";
import diagnostics from "node:diagnostics_channel";
import { mkdir, writeFile } from "node:fs/promises";
import type { IncomingMessage, Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import type { Claim, Coverage, Encounter, Money, Organization, Patient, Resource } from "@medplum/fhirtypes";
import pg from "pg";
import { gitIgnoredDataDir, startEmbeddedPostgres, type EmbeddedDatabase } from "@/scripts/lib/embedded-postgres";
import { generatePatientBundle, withRelativeReferences } from "@/scripts/lib/synthetic";
import { validateFhirResource } from "@/server/patient/fhir/validator";
import { startFhirServer, type FhirServer } from "@/tests/support/fhir-server";
import { PATIENT_LAUNCH_SCOPES, startSmartAuthServer, type SmartAuthServer } from "@/tests/support/smart-auth-server";
import { cleanUpOnInterrupt, cpuBetween, cpuSnapshot, freshDatabase, log, machineDescription, percentile, round, runBenchmark, sleep, timeStatements } from "./support";

function positiveInteger(name: string, fallback: number) {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

const RESOURCES = positiveInteger("BENCH_EHR_RESOURCES", 20_000);
/** The most the portal sends per page, whatever `_count` asks for (our client asks for 1,000). */
const SERVER_PAGE_SIZE = positiveInteger("BENCH_EHR_PAGE_SIZE", 1_000);
const TARGETS = { resourcesPerSecond: 2_000 };
const SEED = 1;
/** Every history ends on this day, so the dataset does not depend on the date it is generated. */
const HISTORY_ENDS = new Date(Date.UTC(2026, 0, 1));
/** The longest history the generator writes: about 6,000 resources. */
const YEARS = 60;
/** Resources validated with the app's validator before the sync, spread over every type. */
const VALIDATION_SAMPLE = 1_000;
const MEMORY_SAMPLE_MS = 50;
const POLL_MS = 25;
const SYNC_TIMEOUT_MS = 15 * 60_000;

const DATABASE = "hv_bench_ehr";
const DATA_DIR = gitIgnoredDataDir("bench-ehr-postgres");
const RESULTS_FILE = path.join(process.cwd(), "bench", "results", "ehr.json");
const REDIRECT_URI = "http://127.0.0.1:3000/api/ehr/callback";

const count = (n: number) => Math.round(n).toLocaleString("en-US");
const mib = (bytes: number) => round(bytes / 2 ** 20, 0);

// ---------------------------------------------------------------------------
// The patient: synthetic histories merged into one record.

/** A UUID derived from a name, so added resources keep their ids from run to run. */
function uuidFor(name: string) {
  const hex = createHash("sha256").update(name).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${((parseInt(hex[16], 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const DATE_PATHS = [
  "effectiveDateTime",
  "effectivePeriod.start",
  "issued",
  "period.start",
  "authoredOn",
  "occurrenceDateTime",
  "performedDateTime",
  "performedPeriod.start",
  "recordedDate",
  "onsetDateTime",
  "dateAsserted",
  "created",
  "date",
];

/** When the portal last changed the resource: an hour after what it records, never after the history ends. */
function lastUpdatedOf(resource: Resource): string {
  for (const dotted of DATE_PATHS) {
    const value = dotted.split(".").reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key], resource);
    const time = typeof value === "string" ? Date.parse(value) : NaN;
    if (Number.isFinite(time)) return new Date(Math.min(time + 3_600_000, HISTORY_ENDS.getTime())).toISOString();
  }
  return HISTORY_ENDS.toISOString();
}

const money = (value: number): Money => ({ value, currency: "USD" });

/** A professional (or, for emergency and inpatient stays, institutional) claim for an encounter, as CARIN payers serve them. */
function claimFor(encounter: Encounter, patientReference: string, coverageId: string, payer: Organization): Claim {
  const institutional = ["EMER", "IMP"].includes(encounter.class?.code ?? "");
  const price = 80 + (parseInt(createHash("sha256").update(encounter.id!).digest("hex").slice(0, 6), 16) % 420) * (institutional ? 6 : 1);
  const start = encounter.period?.start ?? HISTORY_ENDS.toISOString();
  return {
    resourceType: "Claim",
    id: uuidFor(`claim:${encounter.id}`),
    status: "active",
    type: {
      coding: [
        institutional
          ? { system: "http://terminology.hl7.org/CodeSystem/claim-type", code: "institutional", display: "Institutional" }
          : { system: "http://terminology.hl7.org/CodeSystem/claim-type", code: "professional", display: "Professional" },
      ],
    },
    use: "claim",
    patient: { reference: patientReference },
    billablePeriod: encounter.period,
    created: encounter.period?.end ?? start,
    insurer: { reference: `Organization/${payer.id}`, display: payer.name },
    provider: (encounter.serviceProvider ?? encounter.participant?.[0]?.individual ?? { display: "Unknown provider" }) as Claim["provider"],
    priority: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/processpriority", code: "normal" }] },
    insurance: [{ sequence: 1, focal: true, coverage: { reference: `Coverage/${coverageId}` } }],
    item: [
      {
        sequence: 1,
        productOrService: encounter.type?.[0] ?? { text: "Office visit" },
        servicedDate: start.slice(0, 10),
        encounter: [{ reference: `Encounter/${encounter.id}` }],
        net: money(price),
      },
    ],
    total: money(price),
  };
}

type Dataset = {
  patient: Patient;
  /** Every resource $everything returns besides the Patient: they all reference it. */
  compartment: Resource[];
  /** Organizations and Practitioners the record refers to; stored on the server, outside the compartment. */
  directory: Resource[];
  histories: number;
  mix: Record<string, number>;
};

/**
 * `size` resources (besides the Patient) for one patient. A 60-year history holds about 6,000, so the record is
 * the histories of several synthetic people of the same sex, merged under the first one's Patient (the oldest
 * birth date among them, so nothing predates the patient), plus what the generator does not write: one Coverage
 * and a Claim for every Encounter. Each resource's meta.lastUpdated follows its clinical date.
 */
function generateDataset(size: number): Dataset {
  const directory = new Map<string, Resource>();
  const compartment: Resource[] = [];
  let patient: Patient | null = null;
  let patientReference = "";
  let coverageId = "";
  let payer: Organization | null = null;
  let histories = 0;
  for (let index = 0; compartment.length < size; index++) {
    const resources = withRelativeReferences(generatePatientBundle(index, { seed: SEED, years: YEARS, now: HISTORY_ENDS }));
    const person = resources.find((r): r is Patient => r.resourceType === "Patient")!;
    if (patient && person.gender !== patient.gender) continue;
    histories += 1;
    if (!patient) {
      patient = person;
      patientReference = `Patient/${person.id}`;
      payer = {
        resourceType: "Organization",
        id: uuidFor("payer"),
        active: true,
        type: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/organization-type", code: "pay", display: "Payer" }] }],
        name: "Lakeshore Health Plan",
      };
      directory.set(`Organization/${payer.id}`, payer);
      coverageId = uuidFor("coverage");
      const coverage: Coverage = {
        resourceType: "Coverage",
        id: coverageId,
        status: "active",
        type: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/v3-ActCode", code: "PPO", display: "preferred provider organization policy" }] },
        subscriberId: "LHP-0000001",
        beneficiary: { reference: patientReference },
        relationship: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/subscriber-relationship", code: "self" }] },
        period: { start: new Date(HISTORY_ENDS.getTime() - YEARS * 365.25 * 86_400_000).toISOString().slice(0, 10) },
        payor: [{ reference: `Organization/${payer.id}`, display: payer.name }],
      };
      compartment.push(coverage);
    } else if (person.birthDate && patient.birthDate && person.birthDate < patient.birthDate) {
      patient.birthDate = person.birthDate;
    }
    const ownReference = JSON.stringify(`Patient/${person.id}`);
    for (const resource of resources) {
      if (resource.resourceType === "Patient") continue;
      if (resource.resourceType === "Organization" || resource.resourceType === "Practitioner") {
        directory.set(`${resource.resourceType}/${resource.id}`, resource);
        continue;
      }
      const own = index === 0 ? resource : (JSON.parse(JSON.stringify(resource).replaceAll(ownReference, JSON.stringify(patientReference))) as Resource);
      compartment.push(own);
      if (own.resourceType === "Encounter") compartment.push(claimFor(own, patientReference, coverageId, payer!));
    }
  }
  compartment.length = size;
  const mix: Record<string, number> = { Patient: 1 };
  for (const resource of [patient!, ...compartment, ...directory.values()]) {
    resource.meta = { ...resource.meta, lastUpdated: lastUpdatedOf(resource) };
  }
  for (const { resourceType } of compartment) mix[resourceType] = (mix[resourceType] ?? 0) + 1;
  return { patient: patient!, compartment, directory: [...directory.values()], histories, mix };
}

/** Every type, then an even spread of the rest: validated (on copies: the validator repairs in place) with the app's validator. */
function validateSample(dataset: Dataset) {
  const all = [dataset.patient, ...dataset.compartment];
  const sample = new Map<Resource, true>();
  const seenTypes = new Map<string, number>();
  for (const resource of all) {
    const seen = seenTypes.get(resource.resourceType) ?? 0;
    if (seen < 20) sample.set(resource, true);
    seenTypes.set(resource.resourceType, seen + 1);
  }
  const step = Math.max(1, Math.floor(all.length / VALIDATION_SAMPLE));
  for (let i = 0; i < all.length && sample.size < VALIDATION_SAMPLE + 20 * seenTypes.size; i += step) sample.set(all[i], true);
  validateFhirResource(structuredClone(dataset.patient)); // loads the definitions (~1 s), not timed
  const started = performance.now();
  const failures: string[] = [];
  let repaired = 0;
  for (const resource of sample.keys()) {
    const issues = validateFhirResource(structuredClone(resource));
    const errors = issues.filter((issue) => issue.severity === "error");
    if (errors.length) failures.push(`${resource.resourceType}/${resource.id}: ${errors.map((e) => `${e.path} ${e.message}`).join("; ")}`);
    else if (issues.length) repaired += 1;
  }
  if (failures.length) throw new Error(`${failures.length} generated resources fail validation, e.g. ${failures.slice(0, 5).join(" | ")}`);
  return { resources: sample.size, repaired, msPerResource: round((performance.now() - started) / sample.size, 3), note: "on this thread, as one validation worker does it" };
}

// ---------------------------------------------------------------------------
// Measuring: the FHIR server's handling time (same process), memory, database waits.

type ServedRequest = { path: string; offset: number | null; count: number | null; startedAt: number; ms: number };

/**
 * Every request the FHIR server answers, from Node's own HTTP instrumentation: from the moment its handler gets the
 * request to the moment the whole answer is written. The handler runs on this thread, so that is time the sync's
 * own work could not use.
 */
function watchServer(fhirPort: number) {
  const served: ServedRequest[] = [];
  const started = new WeakMap<IncomingMessage, number>();
  const isFhir = (server: Server) => (server.address() as AddressInfo | null)?.port === fhirPort;
  const onStart = (message: unknown) => {
    const { request, server } = message as { request: IncomingMessage; server: Server };
    if (isFhir(server)) started.set(request, performance.now());
  };
  const onFinish = (message: unknown) => {
    const { request, server } = message as { request: IncomingMessage; server: Server };
    const at = started.get(request);
    if (at === undefined || !isFhir(server)) return;
    const url = new URL(request.url ?? "/", "http://fhir");
    const number = (name: string) => (url.searchParams.has(name) ? Number(url.searchParams.get(name)) : null);
    served.push({ path: url.pathname, offset: number("_offset"), count: number("_count"), startedAt: at, ms: performance.now() - at });
  };
  diagnostics.subscribe("http.server.request.start", onStart);
  diagnostics.subscribe("http.server.response.finish", onFinish);
  return {
    served,
    stop() {
      diagnostics.unsubscribe("http.server.request.start", onStart);
      diagnostics.unsubscribe("http.server.response.finish", onFinish);
    },
  };
}

/** The largest RSS (and heap) seen, sampled every 50 ms. */
function memorySampler() {
  let peakRss = 0;
  let peakHeap = 0;
  const sample = () => {
    const { rss, heapUsed } = process.memoryUsage();
    peakRss = Math.max(peakRss, rss);
    peakHeap = Math.max(peakHeap, heapUsed);
  };
  sample();
  const timer = setInterval(sample, MEMORY_SAMPLE_MS);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { peakRss, peakHeap };
    },
  };
}

/** Time this process waits on PostgreSQL (every pg client here, Prisma's adapter included), by statement kind. */
const dbWaits = { enabled: false, byLabel: new Map<string, { count: number; ms: number }>() };

function statementLabel(text: string) {
  const sql = text.replace(/\s+/g, " ").trim();
  if (/pg_advisory_xact_lock/.test(sql)) return /\bjobs\."/.test(sql) ? "claim jobs.JobRun" : "advisory lock";
  const verb = /^\w+/.exec(sql)?.[0]?.toUpperCase() ?? "?";
  const table = /"?(patient|ehr|jobs|standards|auth|compliance|notifications|documents)"?\."(\w+)"/.exec(sql);
  return table ? `${verb} ${table[1]}.${table[2]}` : verb;
}

/** pg's own query(), for the benchmark's polling, which must not count as the sync's waits. */
let uncountedQuery: (...args: unknown[]) => unknown = pg.Client.prototype.query as (...args: unknown[]) => unknown;

function installStatementTimer() {
  uncountedQuery = timeStatements((sql) => {
    if (!dbWaits.enabled) return undefined;
    const label = statementLabel(sql);
    return (ms) => {
      const stats = dbWaits.byLabel.get(label) ?? { count: 0, ms: 0 };
      stats.count += 1;
      stats.ms += ms;
      dbWaits.byLabel.set(label, stats);
    };
  });
}

const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  return { n: values.length, meanMs: round(mean, 1), p50Ms: round(percentile(sorted, 50), 1), p95Ms: round(percentile(sorted, 95), 1), maxMs: round(sorted.at(-1) ?? NaN, 1) };
};

// ---------------------------------------------------------------------------

async function main() {
  let server: EmbeddedDatabase | null = null;
  let fhir: FhirServer | null = null;
  let auth: SmartAuthServer | null = null;
  let stopWorker: (() => Promise<void>) | null = null;
  let disconnect: (() => Promise<void>) | null = null;
  let cleaningUp: Promise<void> | null = null;
  const cleanUp = () =>
    (cleaningUp ??= (async () => {
      await stopWorker?.().catch((error) => log(`worker stop failed: ${(error as Error).message}`));
      await fhir?.stop().catch(() => {});
      await auth?.stop().catch(() => {});
      await disconnect?.().catch(() => {});
      await server?.stop().catch((error) => log(`database stop failed: ${(error as Error).message}`));
    })());
  const stopListening = cleanUpOnInterrupt("the worker, the test servers and the database", cleanUp);

  /** RSS after each setup stage: what the process holds before the sync starts, and why. */
  const checkpoints: Record<string, number> = { start: mib(process.memoryUsage().rss) };
  const checkpoint = (stage: string) => (checkpoints[stage] = mib(process.memoryUsage().rss));

  try {
    // --- The dataset (not timed as part of the sync) -------------------------
    log(`generating one patient with ${count(RESOURCES)} resources (scripts/lib/synthetic, ${YEARS}-year histories)`);
    let started = performance.now();
    const dataset = generateDataset(RESOURCES);
    const generationSeconds = round((performance.now() - started) / 1000, 2);
    const expected = dataset.mix;
    const expectedTotal = RESOURCES + 1;
    log(`generated ${count(expectedTotal)} resources from ${dataset.histories} histories in ${generationSeconds} s: ${Object.entries(expected).sort((a, b) => b[1] - a[1]).map(([t, n]) => `${t} ${count(n)}`).join(", ")}`);
    checkpoint("dataset generated");
    const validation = validateSample(dataset);
    checkpoint("validator definitions loaded");
    log(`validated a sample of ${validation.resources} resources with server/patient/fhir/validator.ts: no errors (${validation.repaired} repaired), ${validation.msPerResource} ms each`);

    log("starting embedded PostgreSQL in .data/bench-ehr-postgres");
    server = await startEmbeddedPostgres({ dataDir: DATA_DIR, log: () => {} });
    const databaseUrl = await freshDatabase(server, DATABASE);
    // Before anything that imports server/db/client, which reads it once.
    process.env.DATABASE_URL = databaseUrl;
    process.env.EHR_TOKEN_KEYS = `bench-key:${randomBytes(32).toString("base64")}`;
    installStatementTimer();
    const { db } = await import("@/server/db/client");
    disconnect = () => db.$disconnect();
    const { completePatientLaunch, requestEhrSync, startPatientLaunch } = await import("@/server/ehr");
    const { ensurePatientForUser } = await import("@/server/patient");
    const { validateResources } = await import("@/server/patient/fhir/validation-pool");
    const { signUpPatient } = await import("@/server/auth");
    const { embeddedWorker } = await import("@/inngest/start");
    checkpoint("app modules and database pool");

    // --- The portal: SMART authorisation server and FHIR server on loopback --
    auth = await startSmartAuthServer();
    const smart = auth;
    fhir = await startFhirServer({ everything: true, pageSize: SERVER_PAGE_SIZE, authServer: smart, authorise: (token) => smart.isValidAccessToken(token) });
    started = performance.now();
    await fhir.load([dataset.patient, ...dataset.directory, ...dataset.compartment]);
    const loadSeconds = round((performance.now() - started) / 1000, 2);
    const onServer = await fhir.countByType(dataset.patient.id!);
    if (JSON.stringify(Object.entries(onServer).sort()) !== JSON.stringify(Object.entries(expected).sort())) {
      throw new Error(`the FHIR server's compartment (${JSON.stringify(onServer)}) is not the generated record (${JSON.stringify(expected)})`);
    }
    smart.setPatient(dataset.patient.id!);
    checkpoint("FHIR server holds the record");
    log(`FHIR server ${fhir.url} holds the record (loaded in ${loadSeconds} s), pages of at most ${count(SERVER_PAGE_SIZE)}`);

    // --- The executor, and a patient who connects through the launch ---------
    const worker = embeddedWorker({ leaseMs: 30_000 });
    stopWorker = () => worker.stop();
    await worker.start();
    const user = await signUpPatient({ name: "Bench Patient", email: `bench-ehr-${randomBytes(4).toString("hex")}@example.test`, password: "bench patient passphrase" }, { requestId: "bench-ehr", clientIp: "127.0.0.1", userAgent: "bench" });
    const { id: patientId } = await ensurePatientForUser(user.id);
    const provider = await db.ehrProvider.create({ data: { name: "Bench General Hospital", vendor: "OTHER", fhirBaseUrl: fhir.url, clientId: "holovitals-bench", scopes: PATIENT_LAUNCH_SCOPES, enabled: true } });
    const { authorizeUrl } = await startPatientLaunch({ patientId, userId: user.id, providerId: provider.id, redirectUri: REDIRECT_URI });
    const redirect = await fetch(authorizeUrl, { redirect: "manual" });
    const connection = await completePatientLaunch(new URL(redirect.headers.get("location")!), user.id);
    log(`connected through the SMART launch (connection ${connection.id})`);
    // Due now, as a new connection is: the 15-minute schedule must not start a sync of its own before ours.
    await db.ehrConnection.update({ where: { id: connection.id }, data: { nextSyncAt: new Date(Date.now() + 86_400_000) } });

    // Validation runs on a pool of worker threads started by the first large batch and kept idle: start it now, as
    // any earlier import or sync would have, and report what starting it costs.
    started = performance.now();
    await validateResources(structuredClone(dataset.compartment.slice(0, 400)));
    const validationPoolStartMs = round(performance.now() - started, 0);
    checkpoint("validation worker threads started");
    // Let the sign-up's welcome job finish, so the sync has the executor to itself.
    await sleep(500);

    const fhirPort = Number(new URL(fhir.url).port);
    // Its own connection, outside the app's pool, so polling takes no connection the sync could use.
    const poller = new pg.Client({ connectionString: databaseUrl });
    await poller.connect();
    const previousDisconnect = disconnect;
    disconnect = async () => {
      await poller.end().catch(() => {});
      await previousDisconnect();
    };
    const syncAndWait = async (trigger: "CONNECT" | "ON_DEMAND") => {
      const watch = watchServer(fhirPort);
      dbWaits.byLabel.clear();
      dbWaits.enabled = true;
      const cpuBefore = cpuSnapshot(DATA_DIR);
      const memory = memorySampler();
      const rssBefore = process.memoryUsage().rss;
      const begun = performance.now();
      const { id } = await requestEhrSync(connection.id, trigger);
      const deadline = Date.now() + SYNC_TIMEOUT_MS;
      const status = async () =>
        ((await uncountedQuery.call(poller, `SELECT "status"::text AS status FROM "ehr"."EhrSyncRun" WHERE "id" = $1`, [id])) as pg.QueryResult<{ status: string }>).rows[0].status;
      while (!["COMPLETED", "FAILED"].includes(await status())) {
        if (Date.now() > deadline) throw new Error(`sync ${id} did not finish within ${SYNC_TIMEOUT_MS / 60_000} minutes`);
        await sleep(POLL_MS);
      }
      const ms = performance.now() - begun;
      const run = await db.ehrSyncRun.findUniqueOrThrow({ where: { id } });
      const { peakRss, peakHeap } = memory.stop();
      const cpu = cpuBetween(cpuBefore, cpuSnapshot(DATA_DIR));
      dbWaits.enabled = false;
      watch.stop();
      if (run.status !== "COMPLETED") throw new Error(`sync ${id} ended ${run.status}: ${run.failureReason}`);
      const steps = await db.$queryRaw<{ name: string; startedAt: Date; endedAt: Date }[]>`
        SELECT s."name", s."startedAt", s."endedAt"
          FROM jobs."JobStep" s JOIN jobs."JobRun" r ON r."id" = s."runId" JOIN jobs."JobEvent" e ON e."id" = r."eventId"
         WHERE e."data"->>'syncRunId' = ${id} ORDER BY s."position"`;
      const waits = Object.fromEntries([...dbWaits.byLabel].sort((a, b) => b[1].ms - a[1].ms).map(([label, s]) => [label, { count: s.count, ms: round(s.ms, 0) }]));
      return { run, ms, cpu, peakRss, peakHeap, rssBefore, served: [...watch.served], steps, waits };
    };

    // --- The first sync: everything ------------------------------------------
    log(`syncing ${count(expectedTotal)} resources (requestEhrSync "CONNECT" → run COMPLETED) on the embedded executor`);
    const loadBefore = os.loadavg()[0];
    const full = await syncAndWait("CONNECT");
    const loadAfter = os.loadavg()[0];
    const resourcesPerSecond = expectedTotal / (full.ms / 1000);
    log(`full sync: ${count(expectedTotal)} resources in ${round(full.ms / 1000, 2)} s: ${count(resourcesPerSecond)} resources/s`);

    // Everything arrived, once, and nothing was skipped.
    type Counts = Record<string, { created: number; updated: number; unchanged: number; skipped: number }>;
    const runCounts = full.run.counts as Counts;
    const created = Object.fromEntries(Object.entries(runCounts).map(([type, c]) => [type, c.created]));
    const skipped = Object.values(runCounts).reduce((sum, c) => sum + c.skipped, 0);
    const rows = await db.clinicalResource.groupBy({ by: ["resourceType"], where: { patientId }, _count: { _all: true } });
    const stored = Object.fromEntries(rows.map((row) => [row.resourceType, row._count._all]));
    const storedTotal = Object.values(stored).reduce((a, b) => a + b, 0);
    const sameCounts = (a: Record<string, number>) => JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(expected).sort());
    const problems = [
      skipped ? `${skipped} resources skipped: ${JSON.stringify((full.run.errors as unknown[]).slice(0, 3))}` : "",
      sameCounts(created) ? "" : `created per type ${JSON.stringify(created)} is not the record ${JSON.stringify(expected)}`,
      sameCounts(stored) ? "" : `rows per type ${JSON.stringify(stored)} are not the record ${JSON.stringify(expected)}`,
      full.run.resourcesProcessed === expectedTotal ? "" : `resourcesProcessed ${full.run.resourcesProcessed}, expected ${expectedTotal}`,
      full.run.resourcesExpected === expectedTotal ? "" : `resourcesExpected ${full.run.resourcesExpected}, expected ${expectedTotal}`,
      (full.run.errors as unknown[]).length === 0 ? "" : `run errors: ${JSON.stringify((full.run.errors as unknown[]).slice(0, 3))}`,
    ].filter(Boolean);
    if (problems.length) throw new Error(`the sync did not store the record as served: ${problems.join("; ")}`);
    log(`verified: ${count(storedTotal)} rows, per type as generated, none skipped`);

    // Pages: the client's `_count`, the server's share, and each page step.
    const pageRequests = full.served.filter((r) => r.path.endsWith("/$everything"));
    const clientPageSize = pageRequests[0]?.count ?? NaN;
    const cycles = pageRequests.slice(1).map((r, i) => r.startedAt - pageRequests[i].startedAt);
    const serverMs = full.served.reduce((sum, r) => sum + r.ms, 0);
    const serverPageMs = pageRequests.map((r) => r.ms);
    const pageSteps = full.steps.filter((s) => s.name.startsWith("page-"));
    const stepMs = pageSteps.map((s) => s.endedAt.getTime() - s.startedAt.getTime());
    const gaps = full.steps.slice(1).map((s, i) => s.startedAt.getTime() - full.steps[i].endedAt.getTime());
    const dbWaitMs = Object.values(full.waits).reduce((sum, w) => sum + w.ms, 0);
    // The executor's own statements (claims, steps, heartbeats) run between and beside the page steps.
    const stepDbWaitMs = Object.entries(full.waits).filter(([label]) => !label.includes(" jobs.")).reduce((sum, [, w]) => sum + w.ms, 0);
    const ourMs = full.ms - serverMs;
    const ownResourcesPerSecond = expectedTotal / (ourMs / 1000);
    const pass = resourcesPerSecond >= TARGETS.resourcesPerSecond;

    // --- The second sync: nothing changed ------------------------------------
    log("syncing again with nothing changed at the portal (incremental: _since)");
    const again = await syncAndWait("ON_DEMAND");
    const againCounts = again.run.counts as Counts;
    const changed = Object.values(againCounts).reduce((sum, c) => sum + c.created + c.updated, 0);
    if (!again.run.since) throw new Error("the second sync was not incremental (no since)");
    if (changed) throw new Error(`the second sync wrote ${changed} resources although nothing changed`);
    const againRows = await db.clinicalResource.count({ where: { patientId } });
    if (againRows !== expectedTotal) throw new Error(`after the second sync the record holds ${againRows} rows, expected ${expectedTotal}`);
    log(`incremental sync: ${round(again.ms, 0)} ms, ${again.run.pagesFetched} page(s), ${again.run.resourcesProcessed} resources`);

    const maxRssKiB = process.resourceUsage().maxRSS;
    const [{ version: postgresVersion }] = await db.$queryRaw<{ version: string }[]>`SELECT version()`;
    await worker.stop();
    stopWorker = null;

    // --- Report -----------------------------------------------------------------
    const result = {
      benchmark: "EHR sync: first and incremental sync of one patient from a loopback FHIR server (server/ehr, sync-ehr-connection)",
      at: new Date().toISOString(),
      machine: machineDescription(postgresVersion),
      databasePoolMax: Number(process.env.DATABASE_POOL_MAX ?? 10),
      targets: TARGETS,
      dataset: {
        resources: expectedTotal,
        mix: expected,
        histories: dataset.histories,
        directoryResources: dataset.directory.length,
        generationSeconds,
        loadIntoFhirServerSeconds: loadSeconds,
        validatedSample: validation,
      },
      portal: {
        everything: true,
        serverPageSize: SERVER_PAGE_SIZE,
        clientPageSize,
        pages: full.run.pagesFetched,
        validationPoolStartMs,
      },
      fullSync: {
        measured: "requestEhrSync(connectionId, \"CONNECT\") → EhrSyncRun COMPLETED (polled every 25 ms on a connection of its own), embedded executor, FHIR server in this process",
        seconds: round(full.ms / 1000, 2),
        resourcesPerSecond: round(resourcesPerSecond, 0),
        runRequestedToFinishedMs: full.run.finishedAt && full.run.requestedAt ? full.run.finishedAt.getTime() - full.run.requestedAt.getTime() : null,
        perPage: {
          cycle: summary(cycles),
          stepBody: summary(stepMs),
          fhirServer: summary(serverPageMs),
          betweenSteps: summary(gaps),
          dbWaitMsPerPage: round(stepDbWaitMs / Math.max(1, pageSteps.length), 1),
          /** The page step minus the FHIR server and the database waits: reading, validating and preparing the page in Node. */
          nodeMsPerPage: round((stepMs.reduce((a, b) => a + b, 0) - serverPageMs.reduce((a, b) => a + b, 0) - stepDbWaitMs) / Math.max(1, pageSteps.length), 1),
        },
        fhirServer: {
          requests: full.served.length,
          ms: round(serverMs, 0),
          share: round(serverMs / full.ms, 3),
          note: "time inside the loopback FHIR server's handler (this process's thread), from Node's http.server diagnostics channels",
        },
        withoutFhirServer: { seconds: round(ourMs / 1000, 2), resourcesPerSecond: round(ownResourcesPerSecond, 0) },
        dbWaitMs: full.waits,
        cpu: {
          nodeMs: round(full.cpu.benchMs, 0),
          nodeMsPerResource: round(full.cpu.benchMs / expectedTotal, 3),
          postgresMs: round(full.cpu.postgresMs, 0),
          postgresMsPerResource: round(full.cpu.postgresMs / expectedTotal, 3),
          machineMs: round(full.cpu.machineMs, 0),
          otherProcessesCpuShare: round(full.cpu.otherShare, 2),
          loadAverage1m: { before: round(loadBefore, 2), after: round(loadAfter, 2) },
        },
        memory: {
          rssBeforeMiB: mib(full.rssBefore),
          peakRssMiB: mib(full.peakRss),
          peakHeapUsedMiB: mib(full.peakHeap),
          processMaxRssMiB: round(maxRssKiB / 1024, 0),
          checkpointsMiB: checkpoints,
          note: "RSS includes the FHIR server's copy of the record and the validation worker threads; processMaxRss is the whole run's peak (generation and loading included)",
        },
        pass,
      },
      incrementalSync: {
        ms: round(again.ms, 0),
        pages: again.run.pagesFetched,
        resourcesReturned: again.run.resourcesProcessed,
        fhirServerMs: round(again.served.reduce((sum, r) => sum + r.ms, 0), 0),
        steps: again.steps.map((s) => s.name),
      },
    };
    await mkdir(path.dirname(RESULTS_FILE), { recursive: true });
    await writeFile(RESULTS_FILE, `${JSON.stringify(result, null, 2)}\n`);

    const f = result.fullSync;
    const verdict = pass ? "ok" : "MISSED";
    const table: [string, string, string, string][] = [
      ["measure", "result", "target", "verdict"],
      [`full sync (${count(expectedTotal)} resources, ${f.seconds} s)`, `${count(f.resourcesPerSecond)} resources/s`, `>= ${count(TARGETS.resourcesPerSecond)}/s`, verdict],
      ["  without the FHIR server's time", `${count(f.withoutFhirServer.resourcesPerSecond)} resources/s`, "-", "-"],
      [`per page (${result.portal.pages} pages of ${Math.min(clientPageSize, SERVER_PAGE_SIZE)}): cycle p50 / p95`, `${f.perPage.cycle.p50Ms} / ${f.perPage.cycle.p95Ms} ms`, "-", "-"],
      ["  of which the FHIR server p50 / p95", `${f.perPage.fhirServer.p50Ms} / ${f.perPage.fhirServer.p95Ms} ms`, "-", "-"],
      ["  page step body p50 / p95", `${f.perPage.stepBody.p50Ms} / ${f.perPage.stepBody.p95Ms} ms`, "-", "-"],
      ["  executor between steps p50 / p95", `${f.perPage.betweenSteps.p50Ms} / ${f.perPage.betweenSteps.p95Ms} ms`, "-", "-"],
      ["  per page: waiting on PostgreSQL / Node (parse, validate, prepare)", `${f.perPage.dbWaitMsPerPage} / ${f.perPage.nodeMsPerPage} ms`, "-", "-"],
      ["FHIR server share of the sync", `${round(f.fhirServer.share * 100, 1)} % (${count(f.fhirServer.ms)} ms)`, "-", "-"],
      ["peak RSS during the sync (sampled)", `${f.memory.peakRssMiB} MiB (from ${f.memory.rssBeforeMiB})`, "-", "-"],
      ["process maxRSS (whole run)", `${f.memory.processMaxRssMiB} MiB`, "-", "-"],
      ["incremental sync, nothing changed", `${result.incrementalSync.ms} ms (${result.incrementalSync.pages} page)`, "-", "-"],
    ];
    const widths = table[0].map((_, col) => Math.max(...table.map((row) => row[col].length)));
    const line = (row: string[]) => row.map((cell, col) => cell.padEnd(widths[col])).join("  ");
    console.log("");
    console.log(`EHR sync benchmark: ${result.machine.cpus} CPUs (${result.machine.cpuModel}), Node ${process.version}, ${result.machine.postgres}`);
    console.log(line(table[0]));
    console.log(widths.map((w) => "-".repeat(w)).join("  "));
    for (const row of table.slice(1)) console.log(line(row));
    console.log("");
    console.log(
      `CPU during the full sync: node ${count(f.cpu.nodeMs)} ms (${f.cpu.nodeMsPerResource} ms/resource, FHIR server and validation threads included), ` +
        `postgres ${count(f.cpu.postgresMs)} ms (${f.cpu.postgresMsPerResource} ms/resource), wall ${count(full.ms)} ms on ${result.machine.cpus} CPUs` +
        (f.cpu.otherProcessesCpuShare > 0.2 ? ` (${Math.round(f.cpu.otherProcessesCpuShare * 100)}% of the machine's CPU went to other processes: figures are pessimistic)` : ""),
    );
    console.log(`Waiting on PostgreSQL: ${round(dbWaitMs, 0)} ms in all, executor included (${f.perPage.dbWaitMsPerPage} ms per page step): ${Object.entries(f.dbWaitMs).slice(0, 8).map(([label, w]) => `${label} ${w.ms} ms/${w.count}`).join(", ")}`);
    console.log(`RSS before the sync: ${Object.entries(checkpoints).map(([stage, value]) => `${stage} ${value}`).join(", ")} MiB.`);
    console.log(`Validation alone (the app's validator on this thread, the sample): ${validation.msPerResource} ms per resource.`);
    console.log(`Dataset: ${Object.entries(expected).sort((a, b) => b[1] - a[1]).map(([t, n]) => `${t} ${count(n)}`).join(", ")}; validation pool start ${validationPoolStartMs} ms (not in the sync).`);
    console.log("");
    console.log(pass ? "All targets met." : "MISSED: the full sync was slower than the target (see above).");
    console.log(`results written to ${path.relative(process.cwd(), RESULTS_FILE)}`);
  } finally {
    await cleanUp();
    stopListening();
  }
}

runBenchmark(main);
