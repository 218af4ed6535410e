// The server error log stores no personal data: messages are scrubbed before
// they are stored, and repeats of one error group together whatever values
// they carried.
import { describe, expect, it } from "vitest";
import { describeServerError, fingerprintOf, MESSAGE_MAX_CHARS, scrubMessage, scrubRoute, stackFramesOf } from "@/server/monitoring/scrub";

const UUID_A = "0195f3a2-7c1e-7d4b-9a10-3f2b8c4d5e6f";
const UUID_B = "0195f3a2-9999-7d4b-9a10-aaaaaaaaaaaa";

describe("scrubMessage", () => {
  it("keeps no email, uuid, long number or quoted text", () => {
    const message =
      `Patient ${UUID_A} (jane.doe+test@example.org) failed: value "Jane Doe" for 'date of birth' 1980-04-12, ` +
      `MRN 123456789, phone 555-123-4567; Key (email)=(john@clinic.test) already exists; token ckv9x2l3m0000abcdxyz12345`;
    const scrubbed = scrubMessage(message);
    expect(scrubbed).toBe(
      "Patient <id> (<email>) failed: value <text> for <text> <n>, MRN <n>, phone <n>; Key (email)=(<text>) already exists; token <id>",
    );
    for (const secret of ["jane", "Jane", "example.org", "john", UUID_A, "1980", "123456789", "4567", "date of birth", "ckv9x2l3m"]) {
      expect(scrubbed).not.toContain(secret);
    }
  });

  it("keeps what says what went wrong: words, short numbers, error codes, apostrophes", () => {
    expect(scrubMessage("Can't reach the database server at port 543 (attempt 2)")).toBe("Can't reach the database server at port 543 (attempt 2)");
    expect(scrubMessage("The table `notifications.Notification` does not exist")).toBe("The table `notifications.Notification` does not exist");
  });

  it("puts the message on one line and truncates it", () => {
    expect(scrubMessage("first line\n\n   second\tline")).toBe("first line second line");
    const long = scrubMessage("word ".repeat(200));
    expect(long).toHaveLength(MESSAGE_MAX_CHARS);
    expect(long.endsWith("…")).toBe(true);
  });

  it("scrubs emails inside quotes and quotes inside long messages before truncating", () => {
    const scrubbed = scrubMessage(`${"x ".repeat(140)}"someone@example.com is the patient with a long quoted name"`);
    expect(scrubbed).not.toMatch(/someone|example\.com|patient with/);
  });
});

describe("scrubRoute", () => {
  it("replaces ids in the path and drops the query string", () => {
    expect(scrubRoute(`/api/patients/${UUID_A}/documents/${UUID_B}/file?download=jane@example.org`)).toBe("/api/patients/<id>/documents/<id>/file");
    expect(scrubRoute("trpc:patient.profile.get")).toBe("trpc:patient.profile.get");
  });
});

describe("fingerprintOf", () => {
  const at = (message: string, route = "trpc:patient.profile.get", errorClass = "TypeError") => fingerprintOf({ errorClass, message, route });

  it("groups the same error whatever ids, numbers, emails or values it carried", () => {
    expect(at(`No profile for ${UUID_A} (a@example.org), row 12`)).toBe(at(`No profile for ${UUID_B} (b@example.com), row 7`));
    expect(at(`Value "Jane" is too long for column 3`)).toBe(at(`Value "Christopher" is too long for column 4`));
  });

  it("keeps different routes, classes and messages apart", () => {
    const base = at("Cannot read properties of undefined (reading 'id')");
    expect(at("Cannot read properties of undefined (reading 'id')", "trpc:patient.record.overview")).not.toBe(base);
    expect(at("Cannot read properties of undefined (reading 'id')", undefined, "RangeError")).not.toBe(base);
    expect(at("Connection terminated unexpectedly")).not.toBe(base);
  });
});

describe("describeServerError", () => {
  it("takes the class and stack from the innermost cause and the message from what the app said", () => {
    const cause = Object.assign(new Error(`Unique constraint failed for "jane@example.org"`), { name: "PrismaClientKnownRequestError", code: "P2002" });
    const wrapper = Object.assign(new Error(`saving the profile of ${UUID_A} failed`, { cause }), { name: "AppError" });
    const described = describeServerError(wrapper);
    expect(described.errorClass).toBe("PrismaClientKnownRequestError P2002");
    expect(described.message).toBe("saving the profile of <id> failed");
    expect(described.stackFrames[0]).toMatch(/^tests\/unit\/error-scrub\.test\.ts:\d+$/);
  });

  it("keeps Prisma's reason without the code frame and query arguments it quotes", () => {
    const prisma = new Error(
      [
        "",
        "Invalid `db.user.findMany()` invocation in",
        "/app/server/auth/service.ts:8:23",
        "",
        "  7 const who = await lookUp();",
        "→ 8 await db.user.findMany({",
        "      where: {",
        "        email: {",
        '          bogus: "jane@x.org",',
        "          ~~~~~",
        "    ?     equals?: String | StringFieldRefInput,",
        "        }",
        "      }",
        "    })",
        "",
        "Unknown argument `bogus`. Available options are marked with ?.",
      ].join("\n"),
    );
    expect(describeServerError(prisma).message).toBe("Invalid `db.user.findMany()` invocation: Unknown argument `bogus`. Available options are marked with ?.");
  });

  it("names values that are not errors by their type", () => {
    expect(describeServerError("patient jane@example.org not found")).toEqual({ errorClass: "thrown string", message: "patient <email> not found", stackFrames: [] });
  });
});

describe("stackFramesOf", () => {
  it("keeps file:line of the innermost frames only, relative to the app", () => {
    const stack = [
      `Error: failed for "Jane Doe"`,
      `    at loadProfile (${process.cwd()}/server/patient/profile.ts:42:13)`,
      `    at async file://${process.cwd()}/server/trpc.ts:61:20`,
      "    at process.processTicksAndRejections (node:internal/process/task_queues:105:5)",
      "    at async Promise.all (index 0)",
      ...Array.from({ length: 10 }, (_, i) => `    at frame${i} (/elsewhere/lib.js:${i + 1}:1)`),
    ].join("\n");
    expect(stackFramesOf(stack)).toEqual([
      "server/patient/profile.ts:42",
      "server/trpc.ts:61",
      "node:internal/process/task_queues:105",
      expect.stringMatching(/lib\.js:1$/),
      expect.stringMatching(/lib\.js:2$/),
    ]);
  });
});
