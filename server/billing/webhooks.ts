// Stripe's webhooks: the signature is checked on the raw body, the event is
// stored by id and handed to a job (inngest/functions/apply-stripe-event.ts),
// and Stripe gets its answer at once. Everything else happens in the job.
import { inngest, stripeEventReceived } from "@/inngest/client";
import { AppError, AppErrorCode } from "@/server/errors";
import { customerOfEvent, recordStripeEvent } from "./stripe-mirror";
import { stripe, webhookSecret } from "./stripe-client";

export async function receiveStripeWebhook(rawBody: string, signature: string | null) {
  if (!signature) throw new AppError(AppErrorCode.INVALID_INPUT, { user: "The request has no Stripe-Signature header." });
  const event = await stripe()
    .webhooks.constructEventAsync(rawBody, signature, webhookSecret())
    .catch((error: unknown) => {
      throw new AppError(AppErrorCode.INVALID_INPUT, { internal: `Stripe webhook refused: ${(error as Error).message}`, user: "The webhook signature does not match this endpoint's secret." });
    });
  const fresh = await recordStripeEvent(event);
  // Sent again on a redelivery too: if the first send was lost the job still starts; if not, the same id starts nothing.
  await inngest.send(stripeEventReceived.create({ stripeEventId: event.id, stripeCustomerId: customerOfEvent(event) }, { id: `stripe-${event.id}` }));
  return { eventId: event.id, fresh };
}
