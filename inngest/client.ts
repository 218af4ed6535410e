// The Inngest client and every event the app sends, with its schema, in one place.
import { eventType, Inngest } from "inngest";
import { z } from "zod";
import { jobsFetch } from "@/server/jobs";

export const userRegistered = eventType("auth/user.registered", {
  schema: z.object({ userId: z.uuid() }),
});

export const inngest = new Inngest({
  id: "holovitals",
  // Without a signing key the SDK runs in dev mode (no request signing): the
  // embedded executor, or a local Inngest dev server, drives it.
  isDev: !process.env.INNGEST_SIGNING_KEY,
  fetch: jobsFetch,
});
