// Inngest Cloud or a self-hosted Inngest server calls this endpoint to run the
// functions (in embedded mode the executor calls the same SDK handler in-process).
import { serve } from "inngest/next";
import { inngest } from "@/inngest/client";
import { functions } from "@/inngest/functions";

export const { GET, POST, PUT } = serve({ client: inngest, functions });
