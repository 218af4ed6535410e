// Stripe's webhook endpoint: verify, store, hand to a job, answer (server/billing/webhooks.ts).
import { receiveStripeWebhook } from "@/server/billing";
import { appErrorResponse } from "@/server/errors";
import { requestMetaFrom } from "@/server/request-meta";

export const runtime = "nodejs";

export async function POST(request: Request) {
  const { requestId } = requestMetaFrom(request.headers);
  try {
    // The raw text: the signature covers the exact bytes Stripe sent.
    const received = await receiveStripeWebhook(await request.text(), request.headers.get("stripe-signature"));
    return Response.json({ received: true, duplicate: !received.fresh });
  } catch (error) {
    return appErrorResponse(error, requestId, { route: "/api/stripe/webhook", method: "POST", user: null });
  }
}
