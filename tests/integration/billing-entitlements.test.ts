// Plan limits where they are used up: analyses and document uploads are counted
// against the Free plan (the plan everyone has without Stripe, with limits set
// per deployment), an analysis beyond it spends an AI credit, and over the
// limit the user is told what to do and nothing is left half-done. Concurrent
// use never passes a limit or takes a balance below zero.
import { readdir } from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import { adjustCredits, consumeEntitlement, currentPlanOf, ensurePlans, resetMonthlyUsage } from "@/server/billing";
import { db } from "@/server/db/client";
import { callerFor, makeUser, trpcError } from "../support/actors";
import { PATIENT_LAUNCH_SCOPES } from "../support/smart-auth-server";
import { documentFixture, patientWithRecord, uploadAs, useDocumentsEnvironment } from "../support/documents";

const LIMITS = ["FREE_PLAN_ANALYSES_PER_MONTH", "FREE_PLAN_DOCUMENTS_PER_MONTH", "FREE_PLAN_SHARED_PROFESSIONALS", "FREE_PLAN_EHR_CONNECTIONS"] as const;
const saved = Object.fromEntries(LIMITS.map((key) => [key, process.env[key]]));
const { storageDir } = useDocumentsEnvironment();

afterEach(() => {
  for (const key of LIMITS) process.env[key] = saved[key];
});

describe("the plans", () => {
  it("are kept in the billing schema as defined, the Free plan with this deployment's limits", async () => {
    process.env.FREE_PLAN_ANALYSES_PER_MONTH = "4";
    await ensurePlans();
    await ensurePlans();
    expect(await db.plan.findMany({ orderBy: { sortOrder: "asc" }, select: { id: true, monthlyPriceCents: true, analysesPerMonth: true } })).toEqual([
      { id: "free", monthlyPriceCents: 0, analysesPerMonth: 4 },
      { id: "plus", monthlyPriceCents: 900, analysesPerMonth: 30 },
      { id: "family", monthlyPriceCents: 1900, analysesPerMonth: 100 },
    ]);
  });
});

describe("the Free plan's analyses", () => {
  it("counts analyses against the plan, then refuses with what to do and creates nothing", async () => {
    process.env.FREE_PLAN_ANALYSES_PER_MONTH = "2";
    const { user, patientId } = await patientWithRecord();
    expect(await currentPlanOf(user.id)).toMatchObject({ planId: "free", subscriptionId: null, entitlements: { analysesPerMonth: 2 } });
    const me = callerFor(user);
    await me.analysis.request({ patientId, kind: "general-checkup" });
    await me.analysis.request({ patientId, kind: "diabetes-review" });
    const refused = await trpcError(me.analysis.request({ patientId, kind: "kidney-function" }));
    expect(refused.code).toBe("PAYMENT_REQUIRED");
    expect(refused.message).toBe("You have used the 2 analyses your Free plan includes this month. Upgrade your plan or buy AI credits on the Billing page.");
    expect(await db.analysisTask.count({ where: { patientId } })).toBe(2);
  });

  it("spends an AI credit for an analysis beyond the plan, once per analysis, and never below zero", async () => {
    process.env.FREE_PLAN_ANALYSES_PER_MONTH = "0";
    const { user, patientId } = await patientWithRecord();
    await adjustCredits(user.id, 1, "purchase", "cs_test_pack_1");
    // The same purchase delivered twice adds its credits once.
    expect(await adjustCredits(user.id, 1, "purchase", "cs_test_pack_1")).toEqual({ balance: 1, applied: false });
    const task = await callerFor(user).analysis.request({ patientId, kind: "general-checkup" });
    expect(await db.creditBalance.findUniqueOrThrow({ where: { userId: user.id } })).toMatchObject({ balance: 0 });
    expect(await db.creditLedgerEntry.findMany({ where: { userId: user.id }, orderBy: { createdAt: "asc" }, select: { delta: true, balanceAfter: true, reason: true, reference: true } })).toEqual([
      { delta: 1, balanceAfter: 1, reason: "purchase", reference: "cs_test_pack_1" },
      { delta: -1, balanceAfter: 0, reason: "analysis", reference: `analysis-task:${task.id}` },
    ]);
    expect((await trpcError(callerFor(user).analysis.request({ patientId, kind: "general-checkup" }))).code).toBe("PAYMENT_REQUIRED");
    await expect(db.$executeRaw`UPDATE billing."CreditBalance" SET balance = -1 WHERE "userId" = ${user.id}::uuid`).rejects.toThrow(/CreditBalance_not_negative/);
  });

  it("lets concurrent analyses spend at most the credits there are", async () => {
    process.env.FREE_PLAN_ANALYSES_PER_MONTH = "0";
    const { user } = await patientWithRecord();
    await adjustCredits(user.id, 5, "purchase", "cs_test_pack_5");
    const attempts = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => consumeEntitlement(user.id, "analyses", `concurrent-${i}`)));
    expect(attempts.filter((a) => a.status === "fulfilled")).toHaveLength(5);
    expect(await db.creditBalance.findUniqueOrThrow({ where: { userId: user.id } })).toMatchObject({ balance: 0 });
    expect(await db.creditLedgerEntry.count({ where: { userId: user.id, reason: "analysis" } })).toBe(5);
  });

  it("lets concurrent analyses use at most the plan's limit", async () => {
    process.env.FREE_PLAN_ANALYSES_PER_MONTH = "3";
    const { user } = await patientWithRecord();
    const attempts = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => consumeEntitlement(user.id, "analyses", `plan-${i}`)));
    expect(attempts.filter((a) => a.status === "fulfilled")).toHaveLength(3);
    expect(await db.usageCounter.findMany({ where: { userId: user.id } })).toEqual([expect.objectContaining({ kind: "analyses", quantity: 3 })]);
  });
});

describe("the Free plan's document uploads", () => {
  it("refuses an upload over the limit before storing anything, and a file already stored costs nothing", async () => {
    process.env.FREE_PLAN_DOCUMENTS_PER_MONTH = "1";
    const { user, patientId } = await patientWithRecord();
    const report = { name: "cbc.pdf", bytes: await documentFixture("fhir-example-cbc-report.pdf"), type: "application/pdf" };
    expect((await uploadAs(user, patientId, report)).status).toBe(201);
    expect((await uploadAs(user, patientId, report)).body).toMatchObject({ duplicate: true });
    const filesBefore = await readdir(storageDir(), { recursive: true });
    const over = await uploadAs(user, patientId, { name: "cbc.png", bytes: await documentFixture("cbc-1.png"), type: "image/png" });
    expect(over.status).toBe(402);
    expect(over.body.error).toMatchObject({ code: "PLAN_LIMIT", message: "You have used the 1 document uploads your Free plan includes this month. Upgrade your plan on the Billing page, or wait for next month." });
    expect(await db.document.count({ where: { patientId } })).toBe(1);
    expect(await readdir(storageDir(), { recursive: true })).toEqual(filesBefore);
  });
});

describe("what the Free plan lets a patient hold at once", () => {
  const inAMonth = () => new Date(Date.now() + 30 * 86_400_000);

  it("shares the record with as many professionals as the plan allows; another grant to one of them is no new place", async () => {
    process.env.FREE_PLAN_SHARED_PROFESSIONALS = "1";
    const { user, patientId } = await patientWithRecord();
    const [first, second] = [await makeUser("PROFESSIONAL", { verified: true }), await makeUser("PROFESSIONAL", { verified: true })];
    const consent = callerFor(user).compliance.consent;
    await consent.grant({ professionalEmail: first.email, categories: ["labs"], purpose: "second opinion", expiresAt: inAMonth() });
    await consent.grant({ professionalEmail: first.email, categories: "ALL", purpose: "follow-up", expiresAt: inAMonth() });
    const refused = await trpcError(consent.grant({ professionalEmail: second.email, categories: ["labs"], purpose: "another opinion", expiresAt: inAMonth() }));
    expect([refused.code, refused.message]).toEqual(["PAYMENT_REQUIRED", "Your Free plan shares your record with 1 professional at a time. Revoke a grant, or upgrade your plan on the Billing page."]);
    expect(await db.consentGrant.count({ where: { patientId, professionalUserId: second.id } })).toBe(0);
    // Revoking the first frees the place.
    for (const grant of await db.consentGrant.findMany({ where: { patientId, professionalUserId: first.id } })) await consent.revoke({ grantId: grant.id });
    await consent.grant({ professionalEmail: second.email, categories: ["labs"], purpose: "another opinion", expiresAt: inAMonth() });
  });

  it("connects as many hospitals as the plan allows, refusing another before anything is started", async () => {
    process.env.FREE_PLAN_EHR_CONNECTIONS = "1";
    const { user, patientId } = await patientWithRecord();
    const provider = (name: string) =>
      db.ehrProvider.create({ data: { name, vendor: "OTHER", fhirBaseUrl: "http://127.0.0.1:9/fhir", clientId: "holovitals", scopes: PATIENT_LAUNCH_SCOPES, enabled: true } });
    const [linked, another] = [await provider(`Linked Hospital ${patientId}`), await provider(`Another Hospital ${patientId}`)];
    await db.ehrConnection.create({ data: { patientId, connectedByUserId: user.id, providerId: linked.id, status: "ACTIVE", fhirPatientId: "p-1", grantedScopes: "patient/*.read" } });
    // The callback URL comes from AUTH_URL outside a request.
    const savedUrl = process.env.AUTH_URL;
    process.env.AUTH_URL = "http://127.0.0.1:3000";
    const refused = await trpcError(callerFor(user).ehr.connect({ patientId, providerId: another.id })).finally(() => {
      if (savedUrl === undefined) delete process.env.AUTH_URL;
      else process.env.AUTH_URL = savedUrl;
    });
    expect([refused.code, refused.message]).toEqual(["PAYMENT_REQUIRED", "Your Free plan connects 1 hospital at a time. Disconnect one, or upgrade your plan on the Billing page."]);
    expect(await db.ehrLaunch.count({ where: { patientId } })).toBe(0);
  });
});

describe("the monthly reset", () => {
  it("opens the new month at zero for those who used last month, keeps subscribers' own periods, and prunes old counters", async () => {
    const now = new Date("2031-03-01T00:00:05Z");
    const [user, subscriber] = [await makeUser("PATIENT"), await makeUser("PATIENT")];
    const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
    await db.usageCounter.createMany({
      data: [
        { userId: user.id, periodStart: day("2031-02-01"), kind: "analyses", quantity: 3 },
        { userId: user.id, periodStart: day("2031-02-01"), kind: "documents", quantity: 5 },
        { userId: user.id, periodStart: day("2028-01-01"), kind: "documents", quantity: 2 },
        { userId: subscriber.id, periodStart: day("2031-02-01"), kind: "analyses", quantity: 7 },
      ],
    });
    await db.billingCustomer.create({ data: { userId: subscriber.id, stripeCustomerId: `cus_reset_${subscriber.id}` } });
    await db.subscription.create({
      data: { id: `sub_reset_${subscriber.id}`, userId: subscriber.id, stripeCustomerId: `cus_reset_${subscriber.id}`, planId: "plus", stripePriceId: "price_plus", unitAmountCents: 900, currency: "usd", interval: "month", status: "active", stripeUpdatedAt: now },
    });

    expect(await resetMonthlyUsage(now)).toMatchObject({ periodStart: "2031-03-01", opened: 2 });
    const counters = (userId: string) => db.usageCounter.findMany({ where: { userId }, orderBy: [{ periodStart: "asc" }, { kind: "asc" }], select: { periodStart: true, kind: true, quantity: true } });
    expect(await counters(user.id)).toEqual([
      { periodStart: day("2031-02-01"), kind: "analyses", quantity: 3 },
      { periodStart: day("2031-02-01"), kind: "documents", quantity: 5 },
      { periodStart: day("2031-03-01"), kind: "analyses", quantity: 0 },
      { periodStart: day("2031-03-01"), kind: "documents", quantity: 0 },
    ]);
    expect(await counters(subscriber.id)).toEqual([{ periodStart: day("2031-02-01"), kind: "analyses", quantity: 7 }]);
    // Run again (a retried job): nothing more.
    expect(await resetMonthlyUsage(now)).toMatchObject({ opened: 0, pruned: 0 });
  });
});
