// The embedded executor's worker: claims runnable runs from PostgreSQL and
// drives them. Several processes can run workers against one database: claims
// use SKIP LOCKED, leases expire when a worker dies, cron fires once.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { db } from "@/server/db/client";
import type { JobRun, Prisma } from "@/server/db/generated/client";
import { driveRun } from "./driver";
import { createRun, JOBS_CHANNEL, storeEvent } from "./ingest";
import { nextCronFire, registerFunctions, registeredFunctions, type ServeHandler } from "./registry";

export type WorkerOptions = {
  handler: ServeHandler;
  /** Runs driven at once by this process. */
  concurrency?: number;
  /** How long a claim lasts without a heartbeat; a dead worker's runs are picked up after it. */
  leaseMs?: number;
  /** Fallback poll for due sleeps and retries when no notification arrives. */
  pollMs?: number;
  log?: (line: string) => void;
};

// Any fixed number: claims are serialised so per-key concurrency limits hold across workers.
const CLAIM_LOCK_KEY = 72_707_003;

type ClaimedRun = JobRun & { wokenFrom: JobRun["status"] };

export class EmbeddedWorker {
  readonly id = randomUUID();
  private running = false;
  private readonly active = new Set<string>();
  private slots: Promise<void>[] = [];
  private wakeUps: (() => void)[] = [];
  private timers: NodeJS.Timeout[] = [];
  private listener: pg.Client | null = null;
  private readonly options: Required<WorkerOptions>;

  constructor(options: WorkerOptions) {
    this.options = {
      concurrency: Number(process.env.INNGEST_EMBEDDED_CONCURRENCY ?? 8),
      leaseMs: Number(process.env.INNGEST_EMBEDDED_LEASE_MS ?? 30_000),
      pollMs: 500,
      log: (line) => console.log(`[jobs] ${line}`),
      ...options,
    };
  }

  async start() {
    const functions = await registerFunctions(this.options.handler);
    this.running = true;
    await this.listen();
    this.timers.push(setInterval(() => void this.heartbeat(), Math.max(250, this.options.leaseMs / 3)));
    this.timers.push(setInterval(() => void this.fireDueCrons(), 1_000));
    this.slots = Array.from({ length: this.options.concurrency }, () => this.slotLoop());
    void this.fireDueCrons();
    this.options.log(`embedded executor started: ${functions.length} functions, ${this.options.concurrency} slots`);
  }

  /** Stops claiming and waits (up to `graceMs`) for runs in progress; unfinished ones resume elsewhere after their lease. */
  async stop(graceMs = 10_000) {
    this.running = false;
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    this.wake();
    await Promise.race([Promise.all(this.slots), new Promise((resolve) => setTimeout(resolve, graceMs))]);
    await this.listener?.end().catch(() => {});
    this.listener = null;
  }

  private wake() {
    const wakeUps = this.wakeUps;
    this.wakeUps = [];
    for (const wakeUp of wakeUps) wakeUp();
  }

  /** Until a notification, or the poll interval (due sleeps, retries), whichever comes first. */
  private waitForWork() {
    if (!this.running) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.options.pollMs);
      this.wakeUps.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private async listen() {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    client.on("notification", () => this.wake());
    client.on("error", (error) => {
      this.options.log(`notification connection lost (${error.message}); polling until it is back`);
      this.listener = null;
      setTimeout(() => this.running && void this.listen().catch(() => {}), 1_000);
    });
    await client.connect();
    await client.query(`LISTEN ${JOBS_CHANNEL}`);
    this.listener = client;
  }

  private async slotLoop() {
    while (this.running) {
      let run: ClaimedRun | null = null;
      try {
        run = await this.claim();
      } catch (error) {
        this.options.log(`claim failed: ${(error as Error).message}`);
      }
      if (!run) {
        await this.waitForWork();
        continue;
      }
      this.active.add(run.id);
      try {
        await driveRun({ handler: this.options.handler, leaseMs: this.options.leaseMs, workerId: this.id }, run, run.wokenFrom);
      } catch (error) {
        // Left RUNNING: its lease expires and the run is retried from its last finished step.
        this.options.log(`run ${run.id} (${run.functionId}) interrupted: ${(error as Error).message}`);
      } finally {
        this.active.delete(run.id);
      }
    }
  }

  private async claim(): Promise<ClaimedRun | null> {
    const leaseSeconds = this.options.leaseMs / 1000;
    const rows = await db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CLAIM_LOCK_KEY}::bigint)`;
      return tx.$queryRaw<ClaimedRun[]>`
        WITH picked AS (
          SELECT r.id, r.status AS "wokenFrom"
          FROM jobs."JobRun" r
          WHERE ((r.status IN ('QUEUED', 'SLEEPING', 'WAITING') AND r."availableAt" <= now())
                 OR (r.status = 'RUNNING' AND r."leaseExpiresAt" < now()))
            AND (r."concurrencyLimit" IS NULL OR (
                  SELECT count(*) FROM jobs."JobRun" busy
                  WHERE busy.status = 'RUNNING' AND busy."leaseExpiresAt" >= now()
                    AND busy."functionId" = r."functionId"
                    AND busy."concurrencyKey" IS NOT DISTINCT FROM r."concurrencyKey") < r."concurrencyLimit")
          ORDER BY r."availableAt" - make_interval(secs => r."prioritySeconds"), r."createdAt"
          LIMIT 1
          FOR UPDATE SKIP LOCKED
        )
        UPDATE jobs."JobRun" r
        SET status = 'RUNNING', "leaseExpiresAt" = now() + make_interval(secs => ${leaseSeconds}),
            "startedAt" = COALESCE(r."startedAt", now())
        FROM picked WHERE r.id = picked.id
        RETURNING r.*, picked."wokenFrom"`;
    });
    return rows[0] ?? null;
  }

  private async heartbeat() {
    if (this.active.size === 0) return;
    const ids = [...this.active];
    const leaseSeconds = this.options.leaseMs / 1000;
    await db.$executeRaw`
      UPDATE jobs."JobRun" SET "leaseExpiresAt" = now() + make_interval(secs => ${leaseSeconds})
      WHERE id = ANY(${ids}::uuid[]) AND status = 'RUNNING'`.catch(() => {});
  }

  /** Starts a run of each cron function whose time has come; the row lock makes each fire happen once. */
  private async fireDueCrons() {
    if (!this.running) return;
    try {
      const configs = await registeredFunctions();
      const fired = await db.$transaction(async (tx) => {
        const due = await tx.$queryRaw<{ functionId: string; cron: string }[]>`
          SELECT "functionId", cron FROM jobs."JobCronSchedule" WHERE "nextAt" <= now() FOR UPDATE SKIP LOCKED`;
        for (const schedule of due) {
          const config = configs.find((c) => c.id === schedule.functionId);
          await tx.jobCronSchedule.update({
            where: { functionId_cron: schedule },
            data: { nextAt: nextCronFire(schedule.cron) },
          });
          if (!config) continue;
          const event = { id: randomUUID(), name: "inngest/scheduled.timer", data: { cron: schedule.cron } as Prisma.JsonObject, ts: Date.now() };
          await storeEvent(tx, event);
          await createRun(tx, config, event);
        }
        return due.length;
      });
      if (fired > 0) this.wake();
    } catch (error) {
      this.options.log(`cron check failed: ${(error as Error).message}`);
    }
  }
}
