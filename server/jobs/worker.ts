// The embedded executor's worker: claims runnable runs from PostgreSQL and
// drives them. Several processes can run workers against one database: claims
// use SKIP LOCKED, leases expire when a worker dies, cron fires once.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { db } from "@/server/db/client";
import { pgConnectionConfig } from "@/server/db/connection";
import type { JobRun, Prisma } from "@/server/db/generated/client";
import { driveRun, type RunHistory } from "./driver";
import { createRun, JOBS_CHANNEL, storeEvent, type InngestEvent } from "./ingest";
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

type ClaimedRun = JobRun & {
  wokenFrom: JobRun["status"];
  triggerEvent: InngestEvent & { user: unknown };
  finishedSteps: RunHistory["steps"];
};

export class EmbeddedWorker {
  private running = false;
  /** Runs this worker is driving, with the lease token of each claim. */
  private readonly active = new Map<string, string>();
  private slots: Promise<void>[] = [];
  private wakeUps: (() => void)[] = [];
  private timers: NodeJS.Timeout[] = [];
  private listener: pg.Client | null = null;
  /** One connection for this process's claims: they are serialised by the claim lock anyway. */
  private claimPool: pg.Pool | null = null;
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
    this.claimPool = new pg.Pool({ ...pgConnectionConfig(), max: 1 });
    // An idle connection that breaks is dropped by the pool and replaced on the next claim.
    this.claimPool.on("error", (error) => this.options.log(`claim connection lost (${error.message})`));
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
    await this.claimPool?.end().catch(() => {});
    this.claimPool = null;
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
    const client = new pg.Client(pgConnectionConfig());
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
      this.active.set(run.id, run.leaseToken!);
      try {
        const { triggerEvent, finishedSteps, wokenFrom, ...claimed } = run;
        const { user, ...event } = triggerEvent;
        const history = { event: user === null ? event : { ...event, user }, steps: finishedSteps };
        const { wakeAt } = await driveRun({ handler: this.options.handler, leaseMs: this.options.leaseMs }, claimed, wokenFrom, history);
        // A retry or short sleep due before the next poll: wake a slot exactly then.
        const dueIn = wakeAt ? wakeAt.getTime() - Date.now() : Infinity;
        if (dueIn < this.options.pollMs) setTimeout(() => this.wake(), Math.max(0, dueIn)).unref();
      } catch (error) {
        // Left RUNNING: its lease expires and the run is retried from its last finished step.
        this.options.log(`run ${run.id} (${run.functionId}) interrupted: ${(error as Error).message}`);
      } finally {
        this.active.delete(run.id);
      }
    }
  }

  /**
   * Leases the next runnable run. The lock, the pick and the commit travel as
   * one multi-statement message (one implicit transaction, each statement with
   * its own snapshot), so the claim lock is held only while the server runs
   * them, not across network round trips: every claim in every worker waits
   * for it, so its hold time bounds the executor's throughput. An error rolls
   * the whole message back.
   */
  private async claim(): Promise<ClaimedRun | null> {
    if (!this.claimPool) return null;
    const leaseSeconds = Number(this.options.leaseMs) / 1000;
    if (!Number.isFinite(leaseSeconds)) throw new Error(`invalid lease: ${this.options.leaseMs} ms`);
    // No bind parameters in a multi-statement message: both values are numbers checked above.
    const results = (await this.claimPool.query(`
      SELECT pg_advisory_xact_lock(${CLAIM_LOCK_KEY}::bigint);
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
          AND (r."functionConcurrencyLimit" IS NULL OR (
                SELECT count(*) FROM jobs."JobRun" busy
                WHERE busy.status = 'RUNNING' AND busy."leaseExpiresAt" >= now()
                  AND busy."functionId" = r."functionId") < r."functionConcurrencyLimit")
        ORDER BY r."availableAt" - make_interval(secs => r."prioritySeconds"), r."createdAt"
        LIMIT 1
        FOR UPDATE SKIP LOCKED
      )
      UPDATE jobs."JobRun" r
      SET status = 'RUNNING', "leaseExpiresAt" = now() + make_interval(secs => ${leaseSeconds}),
          "leaseToken" = gen_random_uuid(), "startedAt" = COALESCE(r."startedAt", now())
      FROM picked WHERE r.id = picked.id
      RETURNING r.*, picked."wokenFrom",
        -- What the drive needs, in the same round trip: the trigger event and the finished steps in order.
        (SELECT json_build_object('id', e.id, 'name', e.name, 'data', e.data, 'ts', (extract(epoch FROM e.ts) * 1000)::bigint, 'user', e."user")
           FROM jobs."JobEvent" e WHERE e.id = r."eventId") AS "triggerEvent",
        (SELECT coalesce(json_agg(json_build_object('stepId', s."stepId", 'output', s.output, 'error', s.error) ORDER BY s.position), '[]'::json)
           FROM jobs."JobStep" s WHERE s."runId" = r.id) AS "finishedSteps"`)) as unknown as pg.QueryResult<ClaimedRun>[];
    return results[1].rows[0] ?? null;
  }

  /** Extends the leases this worker still holds (a long step must not look like a dead worker). */
  private async heartbeat() {
    if (this.active.size === 0) return;
    const ids = [...this.active.keys()];
    const tokens = [...this.active.values()];
    const leaseSeconds = this.options.leaseMs / 1000;
    await db.$executeRaw`
      UPDATE jobs."JobRun" r SET "leaseExpiresAt" = now() + make_interval(secs => ${leaseSeconds})
      FROM unnest(${ids}::uuid[], ${tokens}::uuid[]) AS held(id, token)
      WHERE r.id = held.id AND r."leaseToken" = held.token AND r.status = 'RUNNING'`.catch(() => {});
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
