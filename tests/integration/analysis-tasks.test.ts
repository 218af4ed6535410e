// Analysis tasks end to end: asked through the router, run by the embedded
// executor, answered by AI providers that are local servers speaking the
// OpenAI and Anthropic APIs (only the remote end is faked): what is sent
// (the schema, the de-identified record, none of the patient's identifiers),
// rate limits retried, failures falling back to the next provider and then to
// the rules engine, tokens and cost accounted, one task per patient at a time.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { embeddedWorker } from "@/inngest/start";
import { db } from "@/server/db/client";
import { failAnalysisTask, startAnalysisTask, AnalysisAccessWithdrawnError } from "@/server/analysis";
import type { SessionUser } from "@/server/auth";
import { callerFor, expectRecordCallsRefused, makeUser } from "../support/actors";
import { waitFor } from "../support/executor";
import { startFakeAnthropic, startFakeOpenAi, type FakeLlmServer, type LlmReply } from "../support/llm-servers";

const ENV_KEYS = ["OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_MODEL", "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL", "ANTHROPIC_MODEL", "DEID_DATE_SHIFT_KEY", "AI_REQUEST_TIMEOUT_MS"];
const savedEnv = Object.fromEntries(ENV_KEYS.map((key) => [key, process.env[key]]));

let openai: FakeLlmServer;
let anthropic: FakeLlmServer;
let worker: ReturnType<typeof embeddedWorker>;

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);
const HBA1C_DATE = daysAgo(20);

/** What identifies the test patient: none of it may reach a provider. */
const IDENTIFIERS = {
  givenName: "Marguerite",
  familyName: "Okonkwo-Baptiste",
  birthDate: "1961-04-17",
  phone: "(503) 555-0187",
  email: "marguerite.ob@example.test",
  street: "4417 Willowbrook Lane",
  city: "Beaverton",
  postalCode: "97005",
  contactName: "Tobias Quennell",
  contactPhone: "(503) 555-0142",
  memberId: "XKW884213907",
};

type Patient = { user: SessionUser; patientId: string; hba1cId: string; metforminId: string };

async function patientWithDiabetesRecord(): Promise<Patient> {
  const user = await makeUser("PATIENT");
  const me = callerFor(user);
  const { id: patientId } = await me.patient.mine();
  await me.patient.profile.update({
    patientId,
    givenName: IDENTIFIERS.givenName,
    familyName: IDENTIFIERS.familyName,
    birthDate: new Date(IDENTIFIERS.birthDate),
    sex: "female",
    phone: IDENTIFIERS.phone,
    email: IDENTIFIERS.email,
    address: { line: [IDENTIFIERS.street], city: IDENTIFIERS.city, state: "OR", postalCode: IDENTIFIERS.postalCode, country: "US" },
    emergencyContact: { name: IDENTIFIERS.contactName, relationship: "brother", phone: IDENTIFIERS.contactPhone },
    insurance: { payer: "Cascade Health Plan", memberId: IDENTIFIERS.memberId },
  });
  const hba1c = await me.patient.entries.add({
    patientId,
    entry: { kind: "measurement", category: "labs", name: "Hemoglobin A1c", code: "4548-4", value: 8.4, unit: "%", low: 4, high: 5.6, date: HBA1C_DATE },
  });
  const metformin = await me.patient.entries.add({ patientId, entry: { kind: "medication", name: `Metformin 500 MG Oral Tablet (from ${IDENTIFIERS.contactName}, call ${IDENTIFIERS.contactPhone})`, status: "active" } });
  await me.patient.entries.add({ patientId, entry: { kind: "condition", name: "Type 2 diabetes", code: "E11.9", codeSystem: "icd-10-cm", clinicalStatus: "active", onsetDate: new Date("2019-03-01") } });
  return { user, patientId, hba1cId: hba1c.id, metforminId: metformin.id };
}

/** An answer in the schema, citing the record's first lab reading (the HbA1c: the only lab). */
const ANSWER = {
  summary: "Your HbA1c of 8.4 % is above the target range, which suggests diabetes is not yet well controlled.",
  findings: [{ title: "HbA1c above target", severity: "moderate", explanation: "8.4 % is above 5.6 %, the top of the lab's range.", evidence: ["L1", "Z99"] }],
  missing: [{ what: "Urine albumin-to-creatinine ratio", why: "Shows early kidney damage." }],
};
const answer = (usage = { input: 1200, output: 300 }): LlmReply => ({ kind: "json", json: ANSWER, usage });

async function analyse(user: SessionUser, input: { patientId: string; kind?: "diabetes-review"; question?: string; priority?: number }) {
  const { id } = await callerFor(user).analysis.request(input);
  return waitFor(async () => {
    const task = await db.analysisTask.findUniqueOrThrow({ where: { id }, include: { interactions: { orderBy: { createdAt: "asc" } } } });
    return ["COMPLETED", "NEEDS_DATA", "FAILED"].includes(task.status) && task;
  }, 60_000);
}

beforeAll(async () => {
  openai = await startFakeOpenAi({ apiKey: "sk-test-openai" });
  anthropic = await startFakeAnthropic({ apiKey: "sk-ant-test" });
  worker = embeddedWorker({ leaseMs: 30_000 });
  await worker.start();
});

afterAll(async () => {
  await worker?.stop();
  await openai?.stop();
  await anthropic?.stop();
  for (const key of ENV_KEYS) {
    if (savedEnv[key] === undefined) delete process.env[key];
    else process.env[key] = savedEnv[key];
  }
});

beforeEach(() => {
  Object.assign(process.env, {
    OPENAI_API_KEY: "sk-test-openai",
    OPENAI_BASE_URL: openai.url,
    OPENAI_MODEL: "gpt-4o-mini",
    ANTHROPIC_API_KEY: "sk-ant-test",
    ANTHROPIC_BASE_URL: anthropic.url,
    ANTHROPIC_MODEL: "claude-haiku-4-5",
    DEID_DATE_SHIFT_KEY: "test-date-shift-key",
  });
});

afterEach(() => {
  openai.requests.length = 0;
  anthropic.requests.length = 0;
});

describe("an analysis answered by an AI provider", () => {
  it("sends a review to the OpenAI-compatible provider with the answer's schema and the de-identified record, and files the answer with its evidence, tokens and cost", async () => {
    const patient = await patientWithDiabetesRecord();
    openai.script(answer());
    const task = await analyse(patient.user, { patientId: patient.patientId, kind: "diabetes-review" });

    expect(openai.requests).toHaveLength(1);
    const { body, rawBody } = openai.requests[0];
    expect(body.model).toBe("gpt-4o-mini");
    expect(body.response_format).toMatchObject({ type: "json_schema", json_schema: { name: "record_analysis", schema: { type: "object", required: ["summary", "findings", "missing"] } } });
    const prompt = body.messages.map((m: { content: string }) => m.content).join("\n");
    // The clinical values are there, cited by reference; the identifiers, the exact dates and our ids are not.
    expect(prompt).toContain("[L1] 8.4 %");
    expect(prompt).toMatch(/\[M1\] Metformin 500 MG Oral Tablet \(from .+\), taking/);
    expect(prompt).toMatch(/Patient: \d+ years old, female\. Today \(dates shifted alike\): \d{4}-\d{2}-\d{2}\./);
    for (const identifier of [...Object.values(IDENTIFIERS), IDENTIFIERS.phone.replace(/\D/g, ""), HBA1C_DATE.toISOString().slice(0, 10), patient.patientId, patient.hba1cId, patient.user.email]) {
      expect(rawBody, identifier).not.toContain(identifier);
    }
    expect(anthropic.requests).toHaveLength(0);

    // The rules engine's findings stay; the AI's finding cites the HbA1c entry (an unknown reference is dropped).
    expect(task.status).toBe("NEEDS_DATA");
    expect(task.provider).toBe("openai");
    expect(task.summary).toBe(ANSWER.summary);
    const findings = task.findings as { rule: string; evidence: string[]; source: string }[];
    expect(findings.find((f) => f.rule === "ai")).toMatchObject({ evidence: [patient.hba1cId], source: expect.stringContaining("OpenAI-compatible (gpt-4o-mini)") });
    expect(findings.some((f) => f.rule === "result-out-of-range" && f.evidence.includes(patient.hba1cId))).toBe(true);

    // gpt-4o-mini at list price: 1,200 × $0.15 + 300 × $0.60 per million tokens.
    expect(task.interactions).toEqual([expect.objectContaining({ provider: "openai", outcome: "SUCCEEDED", tokensIn: 1200, tokensOut: 300, attempt: 1 })]);
    expect(Number(task.interactions[0].costUsd)).toBeCloseTo(0.00036, 6);
    expect([task.tokensIn, task.tokensOut, Number(task.costUsd)]).toEqual([1200, 300, 0.00036]);
    // Billing gets the task's usage, against the record owner's account (not metered: they are no Stripe customer).
    const charges = await waitFor(async () => {
      const rows = await db.aiUsageCharge.findMany({ where: { taskId: task.id } });
      return rows.length > 0 && rows;
    });
    expect(charges).toEqual([expect.objectContaining({ provider: "openai", userId: patient.user.id, tokens: 1500, costMicros: 360n, stripeCustomerId: null })]);

    // The disclosure is on the audit trail, for the requester.
    const [disclosure] = await db.auditEvent.findMany({ where: { action: "analysis.ai_disclosure", resourceId: task.id } });
    expect(disclosure).toMatchObject({ outcome: "SUCCESS", actorUserId: patient.user.id, patientId: patient.patientId, detail: expect.stringMatching(/^de-identified record \(labs, conditions, medications; about \d+ tokens\) sent to openai gpt-4o-mini$/) });

    // What the patient sees: the task with its findings and the evidence to link them to.
    const shown = await callerFor(patient.user).analysis.task({ patientId: patient.patientId, taskId: task.id });
    expect(shown.evidence[patient.hba1cId]).toMatchObject({ category: "labs", loinc: "4548-4" });
    // The AI named a gap the rules already list: it is listed once.
    expect(shown.missing.filter((m) => m.title === "Urine albumin-to-creatinine ratio")).toEqual([expect.objectContaining({ rule: "data-need:diabetes-review" })]);
  });

  it("sends a free question to Anthropic first as a forced tool call, with the question itself de-identified", async () => {
    const patient = await patientWithDiabetesRecord();
    anthropic.script(answer({ input: 900, output: 200 }));
    const question = `I'm ${IDENTIFIERS.givenName} ${IDENTIFIERS.familyName}, call me at ${IDENTIFIERS.phone}. Is my HbA1c too high?`;
    const task = await analyse(patient.user, { patientId: patient.patientId, question });

    expect(anthropic.requests).toHaveLength(1);
    const { body, rawBody } = anthropic.requests[0];
    expect(body).toMatchObject({ model: "claude-haiku-4-5", tool_choice: { type: "tool", name: "record_analysis" }, tools: [{ name: "record_analysis", input_schema: { type: "object" } }] });
    expect(rawBody).toContain("Is my HbA1c too high?");
    for (const identifier of [IDENTIFIERS.givenName, IDENTIFIERS.familyName, IDENTIFIERS.phone]) expect(rawBody, identifier).not.toContain(identifier);
    expect(task).toMatchObject({ status: "COMPLETED", provider: "anthropic", model: "claude-haiku-4-5", summary: ANSWER.summary, tokensIn: 900, tokensOut: 200 });
    // A gap the AI names that the rules' general check-up does not is added, with the ways to fill it.
    expect(task.missingPieces).toContainEqual(expect.objectContaining({ rule: "ai", title: "Urine albumin-to-creatinine ratio", actions: ["upload-report", "connect-ehr", "ask-clinician"] }));
    // claude-haiku-4-5 at list price: 900 × $1 + 200 × $5 per million tokens.
    expect(Number(task.costUsd)).toBeCloseTo(0.0019, 6);
  });

  it("waits out a rate limit as the provider asks, then takes the answer", async () => {
    const patient = await patientWithDiabetesRecord();
    openai.script({ kind: "status", status: 429, retryAfterSeconds: 1 }, answer());
    const task = await analyse(patient.user, { patientId: patient.patientId, kind: "diabetes-review" });
    expect(openai.requests).toHaveLength(2);
    expect(openai.requests[1].receivedAt - openai.requests[0].receivedAt).toBeGreaterThanOrEqual(900);
    expect(task.interactions.map((i) => [i.provider, i.outcome, i.attempt])).toEqual([
      ["openai", "RATE_LIMITED", 1],
      ["openai", "SUCCEEDED", 2],
    ]);
    expect(task).toMatchObject({ provider: "openai", fallbacks: [] });
  });

  it("falls back to the next provider when one fails, and records the switch", async () => {
    const patient = await patientWithDiabetesRecord();
    openai.script({ kind: "status", status: 500 });
    anthropic.script(answer({ input: 1000, output: 100 }));
    const task = await analyse(patient.user, { patientId: patient.patientId, kind: "diabetes-review" });
    expect(task).toMatchObject({ provider: "anthropic", fallbacks: [{ provider: "openai", model: "gpt-4o-mini", reason: "provider error 500" }] });
    expect(task.interactions.map((i) => [i.provider, i.outcome])).toEqual([
      ["openai", "PROVIDER_FAILED"],
      ["anthropic", "SUCCEEDED"],
    ]);
    const disclosures = await db.auditEvent.findMany({ where: { action: "analysis.ai_disclosure", resourceId: task.id }, orderBy: { id: "asc" } });
    expect(disclosures.map((row) => [row.outcome, row.detail?.replace(/.* sent to /, "")])).toEqual([
      ["FAILURE", "openai gpt-4o-mini: provider error 500"],
      ["SUCCESS", "anthropic claude-haiku-4-5"],
    ]);
    // Only the call that answered costs anything; billing counts each provider's share apart.
    expect(Number(task.costUsd)).toBeCloseTo(0.0015, 6);
    const charges = await waitFor(async () => {
      const rows = await db.aiUsageCharge.findMany({ where: { taskId: task.id }, orderBy: { provider: "asc" } });
      return rows.length > 0 && rows;
    });
    expect(charges.map((charge) => [charge.provider, charge.tokens])).toEqual([["anthropic", 1100]]);
  });

  it("falls back to the rules engine when every provider fails or answers outside the schema, and says so", async () => {
    const patient = await patientWithDiabetesRecord();
    openai.script({ kind: "json", json: { summary: "", findings: "none" } });
    anthropic.script({ kind: "status", status: 529 });
    const task = await analyse(patient.user, { patientId: patient.patientId, kind: "diabetes-review" });
    expect(task.provider).toBe("rules");
    expect(task.summary).toMatch(/AI providers could not answer just now/);
    expect(task.fallbacks).toEqual([
      { provider: "openai", model: "gpt-4o-mini", reason: expect.stringMatching(/^answer did not match the schema/) },
      { provider: "anthropic", model: "claude-haiku-4-5", reason: "provider error 529" },
    ]);
    expect(task.interactions.map((i) => i.outcome)).toEqual(["INVALID_ANSWER", "PROVIDER_FAILED"]);
    // The review still stands on the rules engine's findings.
    expect((task.findings as { rule: string }[]).map((f) => f.rule)).toContain("result-out-of-range");
  });

  it("uses the rules engine alone, and says AI is not configured, when no provider has a key", async () => {
    delete process.env.OPENAI_API_KEY;
    delete process.env.ANTHROPIC_API_KEY;
    const patient = await patientWithDiabetesRecord();
    expect(await callerFor(patient.user).analysis.providers()).toEqual([
      { id: "openai", name: "OpenAI-compatible", configured: false },
      { id: "anthropic", name: "Anthropic", configured: false },
    ]);
    const task = await analyse(patient.user, { patientId: patient.patientId, question: "Is my HbA1c too high?" });
    expect(task).toMatchObject({ status: "COMPLETED", provider: "rules", fallbacks: [], interactions: [] });
    expect(task.summary).toMatch(/AI answers are not configured.*Your question itself was not answered/);
    expect(openai.requests.length + anthropic.requests.length).toBe(0);
  });
});

describe("the analysis queue", () => {
  it("runs one analysis of a patient at a time, queued with its priority", async () => {
    process.env.AI_REQUEST_TIMEOUT_MS = "1500";
    const patient = await patientWithDiabetesRecord();
    // The first call hangs until the client gives up; the second task must wait for the first to finish.
    openai.script({ kind: "hang" }, answer());
    anthropic.script(answer(), answer());
    const me = callerFor(patient.user);
    const first = await me.analysis.request({ patientId: patient.patientId, kind: "diabetes-review", priority: 1 });
    const second = await me.analysis.request({ patientId: patient.patientId, kind: "diabetes-review", priority: 5 });
    const runs = await db.jobRun.findMany({ where: { functionId: "holovitals-run-analysis-task", createdAt: { gte: daysAgo(0.01) } }, orderBy: { createdAt: "desc" }, take: 2 });
    expect(runs.map((r) => [r.prioritySeconds, r.concurrencyLimit, r.concurrencyKey, r.functionConcurrencyLimit]).sort()).toEqual([
      [-300, 1, patient.patientId, 4],
      [300, 1, patient.patientId, 4],
    ]);
    const listed = await me.analysis.tasks({ patientId: patient.patientId });
    expect(listed.find((t) => t.id === second.id)).toMatchObject({ status: "QUEUED" });
    const done = await waitFor(async () => {
      const tasks = await db.analysisTask.findMany({ where: { id: { in: [first.id, second.id] } } });
      return tasks.every((t) => t.finishedAt) && tasks;
    }, 60_000);
    const [a, b] = [done.find((t) => t.id === first.id)!, done.find((t) => t.id === second.id)!];
    expect(b.startedAt!.getTime()).toBeGreaterThanOrEqual(a.finishedAt!.getTime());
    expect(a.fallbacks).toEqual([{ provider: "openai", model: "gpt-4o-mini", reason: "timed out" }]);
  });

  it("refuses a sixth open analysis of the same record, and a request that is neither a review nor a question", async () => {
    const patient = await patientWithDiabetesRecord();
    const me = callerFor(patient.user);
    await expect(me.analysis.request({ patientId: patient.patientId })).rejects.toMatchObject({ code: "BAD_REQUEST", message: "Choose a review or write a question." });
    await expect(me.analysis.request({ patientId: patient.patientId, kind: "diabetes-review", question: "and this?" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(me.analysis.request({ patientId: patient.patientId, kind: "diabetes-review", priority: 9 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await db.analysisTask.createMany({ data: Array.from({ length: 5 }, () => ({ patientId: patient.patientId, requestedByUserId: patient.user.id, kind: "general-checkup" })) });
    const before = await db.analysisTask.count({ where: { patientId: patient.patientId } });
    await expect(me.analysis.request({ patientId: patient.patientId, kind: "diabetes-review" })).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    expect(await db.analysisTask.count({ where: { patientId: patient.patientId } })).toBe(before);
  });
});

describe("who may ask and see", () => {
  it("lets a professional with a grant ask and see their own analyses, on what the grant covers", async () => {
    delete process.env.OPENAI_API_KEY;
    delete process.env.ANTHROPIC_API_KEY;
    const patient = await patientWithDiabetesRecord();
    const doctor = await makeUser("PROFESSIONAL", { verified: true });
    await callerFor(patient.user).compliance.consent.grant({ professionalEmail: doctor.email, categories: ["labs"], purpose: "second opinion", expiresAt: daysAgo(-30) });
    const own = await analyse(patient.user, { patientId: patient.patientId, kind: "diabetes-review" });
    const theirs = await analyse(doctor, { patientId: patient.patientId, kind: "diabetes-review" });
    // Reviewed on labs alone: the rules say nothing about medicines for them.
    expect((theirs.findings as { evidence: string[] }[]).flatMap((f) => f.evidence)).not.toContain(patient.metforminId);
    expect((await callerFor(doctor).analysis.tasks({ patientId: patient.patientId })).map((t) => t.id)).toEqual([theirs.id]);
    expect((await callerFor(patient.user).analysis.tasks({ patientId: patient.patientId })).map((t) => t.id)).toEqual([theirs.id, own.id]);
    await expect(callerFor(doctor).analysis.task({ patientId: patient.patientId, taskId: own.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("stops an analysis whose requester lost access before it ran", async () => {
    const patient = await patientWithDiabetesRecord();
    const doctor = await makeUser("PROFESSIONAL", { verified: true });
    const grant = await callerFor(patient.user).compliance.consent.grant({ professionalEmail: doctor.email, categories: "ALL", purpose: "second opinion", expiresAt: daysAgo(-30) });
    const task = await db.analysisTask.create({ data: { patientId: patient.patientId, requestedByUserId: doctor.id, kind: "general-checkup" } });
    await callerFor(patient.user).compliance.consent.revoke({ grantId: grant.id });
    const refusal = await startAnalysisTask(task.id).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(AnalysisAccessWithdrawnError);
    await failAnalysisTask(task.id, refusal);
    expect(await db.analysisTask.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject({
      status: "FAILED",
      failureReason: "The person who asked for this analysis no longer has access to the record.",
      findings: [],
    });
  });

  it("refuses another patient, a professional without a grant and an admin without break-glass, and changes nothing", async () => {
    const patient = await patientWithDiabetesRecord();
    const task = await db.analysisTask.create({ data: { patientId: patient.patientId, requestedByUserId: patient.user.id, kind: "general-checkup", status: "FAILED" } });
    const { patientId } = patient;
    const calls = [
      { action: "analysis.request", call: (c: ReturnType<typeof callerFor>) => c.analysis.request({ patientId, kind: "diabetes-review" }) },
      { action: "analysis.tasks", call: (c: ReturnType<typeof callerFor>) => c.analysis.tasks({ patientId }) },
      { action: "analysis.task", call: (c: ReturnType<typeof callerFor>) => c.analysis.task({ patientId, taskId: task.id }) },
      { action: "analysis.retry", call: (c: ReturnType<typeof callerFor>) => c.analysis.retry({ patientId, taskId: task.id }) },
    ];
    const snapshot = () => db.analysisTask.findMany({ where: { patientId }, orderBy: { id: "asc" } });
    await expectRecordCallsRefused({ user: await makeUser("PATIENT"), patientId, calls, reason: () => "a patient can only see their own record", snapshot });
    await expectRecordCallsRefused({ user: await makeUser("PROFESSIONAL", { verified: true }), patientId, calls, reason: () => "no consent grant from this patient", snapshot });
    await expectRecordCallsRefused({ user: await makeUser("ADMIN"), patientId, calls, reason: () => "admins need break-glass access to see clinical data", snapshot });
  });

  it("asks a failed analysis again as it was", async () => {
    delete process.env.OPENAI_API_KEY;
    delete process.env.ANTHROPIC_API_KEY;
    const patient = await patientWithDiabetesRecord();
    const failed = await db.analysisTask.create({ data: { patientId: patient.patientId, requestedByUserId: patient.user.id, kind: "diabetes-review", status: "FAILED", failureReason: "The analysis failed unexpectedly. Please try again." } });
    await callerFor(patient.user).analysis.retry({ patientId: patient.patientId, taskId: failed.id });
    const done = await waitFor(async () => {
      const task = await db.analysisTask.findUniqueOrThrow({ where: { id: failed.id } });
      return task.finishedAt && task;
    }, 60_000);
    expect(done).toMatchObject({ status: "NEEDS_DATA", failureReason: null, provider: "rules", kind: "diabetes-review" });
    await expect(callerFor(patient.user).analysis.retry({ patientId: patient.patientId, taskId: failed.id })).rejects.toMatchObject({ code: "CONFLICT" });
  });
});
