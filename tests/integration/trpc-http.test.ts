// What a browser actually receives from the tRPC endpoint: field errors for
// bad input, user messages for app errors, and never a stack trace or SQL.
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { appRouter } from "@/server/root";
import type { SessionUser } from "@/server/auth";
import { makeUser, testMeta, uniqueEmail } from "../support/actors";

async function post(procedure: string, input: unknown, user: SessionUser | null = null) {
  const response = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req: new Request(`http://localhost/api/trpc/${procedure}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ json: input }),
    }),
    router: appRouter,
    createContext: () => ({ db, user, ...testMeta }),
  });
  return { status: response.status, body: await response.json() };
}

describe("tRPC over HTTP", () => {
  it("returns 400 with a field error per invalid field", async () => {
    const { status, body } = await post("auth.signUp", { name: "", email: "not-an-email", password: "short" });
    expect(status).toBe(400);
    expect(body.error.json.message).toBe("Please correct the highlighted fields.");
    expect(body.error.json.data.fieldErrors).toEqual({
      name: ["Enter your name."],
      email: ["Enter a valid email address."],
      password: ["Use at least 12 characters."],
    });
    expect(JSON.stringify(body)).not.toMatch(/stack|at .*\.ts:\d+/);
  });

  it("maps an AppError to its status and user message", async () => {
    const email = uniqueEmail();
    await post("auth.signUp", { name: "Dana", email, password: "a perfectly fine password" });
    const { status, body } = await post("auth.signUp", { name: "Dana", email, password: "a perfectly fine password" });
    expect(status).toBe(409);
    expect(body.error.json.message).toBe("An account with this email already exists. Sign in instead.");
    expect(body.error.json.data.fieldErrors).toEqual({ email: ["An account with this email already exists."] });
  });

  it("answers 401 for a signed-out caller and 403 for the wrong role", async () => {
    expect((await post("compliance.audit.verifyChain", undefined)).status).toBe(401);
    const patient = await makeUser("PATIENT");
    const { status, body } = await post("compliance.audit.verifyChain", undefined, patient);
    expect(status).toBe(403);
    expect(body.error.json.message).toBe("You do not have access to this.");
  });

  it("hides internal errors (here: the database refusing a write) behind a generic message", async () => {
    const admin = await makeUser("ADMIN");
    const professional = await makeUser("PROFESSIONAL");
    // Break the table under the procedure so it fails with an SQL error.
    await db.$executeRawUnsafe(`ALTER TABLE auth."ProfessionalProfile" ADD CONSTRAINT probe_no_review CHECK ("reviewedAt" IS NULL)`);
    try {
      const { status, body } = await post("auth.admin.reviewProfessional", { userId: professional.id, decision: "VERIFIED" }, admin);
      expect(status).toBe(500);
      expect(body.error.json.message).toBe("Something went wrong on our side. Please try again.");
      expect(JSON.stringify(body)).not.toMatch(/probe_no_review|constraint|ProfessionalProfile|stack/i);
    } finally {
      await db.$executeRawUnsafe(`ALTER TABLE auth."ProfessionalProfile" DROP CONSTRAINT probe_no_review`);
    }
  });
});
