// Billing through Stripe for integration tests: the fake Stripe on loopback (the remote end only), our real webhook
// route served over HTTP, the real embedded executor running the jobs, and the env that turns billing on, set for
// each test and put back afterwards. Call at the top of a test file.
import { afterAll, beforeAll, beforeEach } from "vitest";
import { POST as webhookRoute } from "@/app/api/stripe/webhook/route";
import { embeddedWorker } from "@/inngest/start";
import { db } from "@/server/db/client";
import { waitFor } from "./executor";
import { startFakeStripe, type FakeStripe, type FakeStripePriceSpec } from "./fake-stripe";
import { serveRoute } from "./route-server";

export const APP_URL = "http://127.0.0.1:3999";

export function useStripeBilling(options: { prices: FakeStripePriceSpec[]; env?: Record<string, string> }) {
  const env: Record<string, string> = {
    STRIPE_SECRET_KEY: "sk_test_holovitals_billing",
    STRIPE_WEBHOOK_SECRET: "whsec_holovitals_billing_test",
    AUTH_URL: APP_URL,
    ...options.env,
  };
  const keys = [...Object.keys(env), "STRIPE_API_BASE"];
  const saved = Object.fromEntries(keys.map((key) => [key, process.env[key]]));
  let fake: FakeStripe;
  let route: Awaited<ReturnType<typeof serveRoute>>;
  let worker: ReturnType<typeof embeddedWorker>;

  beforeAll(async () => {
    route = await serveRoute(webhookRoute, "/api/stripe/webhook");
    fake = await startFakeStripe({ prices: options.prices, webhookSecret: env.STRIPE_WEBHOOK_SECRET, webhookUrl: route.url, apiKey: env.STRIPE_SECRET_KEY });
    worker = embeddedWorker({ leaseMs: 30_000 });
    await worker.start();
  });

  afterAll(async () => {
    await worker?.stop();
    await fake?.stop();
    await route?.stop();
    for (const key of keys) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  });

  beforeEach(() => {
    Object.assign(process.env, env, { STRIPE_API_BASE: fake.origin });
    fake.setWebhookUrl(route.url);
  });

  return {
    env,
    get fake() {
      return fake;
    },
    get route() {
      return route;
    },
    /** Every Stripe event so far has been applied by the job (or failed for good). */
    async eventsApplied() {
      await fake.webhooksSettled();
      await waitFor(async () => (await db.stripeEvent.count({ where: { processedAt: null } })) === 0, 30_000).catch(async (error: Error) => {
        const pending = await db.stripeEvent.findMany({ where: { processedAt: null }, select: { type: true, error: true } });
        throw new Error(`${error.message}; not applied: ${JSON.stringify(pending)}`);
      });
    },
  };
}
