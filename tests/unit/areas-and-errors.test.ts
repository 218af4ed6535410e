import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { areaForPath, homeFor } from "@/server/auth/areas";
import { signUpPatientInput } from "@/server/auth/schemas";
import { AppError, asAppError, fieldErrorsOf } from "@/server/errors";
import { manualEntry, profileUpdate } from "@/server/patient/schemas";

describe("role areas", () => {
  it("maps paths to the role area that owns them, and nothing else", () => {
    expect(areaForPath("/admin")).toBe("/admin");
    expect(areaForPath("/admin/jobs")).toBe("/admin");
    expect(areaForPath("/patient/labs/2345-7")).toBe("/patient");
    expect(areaForPath("/administrator")).toBeNull();
    expect(areaForPath("/")).toBeNull();
    expect(areaForPath("/sign-in")).toBeNull();
  });

  it("sends each role home", () => {
    expect(homeFor("PATIENT")).toBe("/patient");
    expect(homeFor("PROFESSIONAL")).toBe("/professional");
    expect(homeFor("ADMIN")).toBe("/admin");
  });
});

describe("sign-up input", () => {
  it("normalises the email and requires 12-character passwords", () => {
    expect(signUpPatientInput.parse({ name: " Ann ", email: " Ann@Example.TEST ", password: "twelve chars" })).toEqual({
      name: "Ann",
      email: "ann@example.test",
      password: "twelve chars",
    });
    expect(signUpPatientInput.safeParse({ name: "Ann", email: "ann@example.test", password: "eleven char" }).success).toBe(false);
  });
});

describe("AppError", () => {
  it("maps codes to tRPC codes and keeps the user message apart from the internal one", () => {
    const error = new AppError("NOT_FOUND", { internal: "user 42 missing from auth.User", user: "No such user." });
    const trpc = error.toTRPCError();
    expect(trpc.code).toBe("NOT_FOUND");
    expect(trpc.message).toBe("No such user.");
    expect(error.message).toBe("user 42 missing from auth.User");
  });

  it("turns anything unexpected into INTERNAL with a generic user message", () => {
    const wrapped = asAppError(new Error("connection reset"));
    expect(wrapped.code).toBe("INTERNAL");
    expect(wrapped.userMessage).toBe("Something went wrong on our side. Please try again.");
  });
});

describe("field errors", () => {
  const entryInput = z.object({ entry: manualEntry });

  it("keys each problem by the path of its field, however deep", () => {
    const parsed = entryInput.safeParse({ entry: { kind: "measurement", category: "labs", name: " ", value: "", low: 100, high: 70, date: new Date(Date.now() + 7 * 86_400_000) } });
    expect(fieldErrorsOf(parsed.error!)).toEqual({
      "entry.name": ["Enter the test name."],
      "entry.value": ["Enter the result as a number."],
      "entry.date": ["The date cannot be in the future."],
    });
    const range = entryInput.safeParse({ entry: { kind: "measurement", category: "labs", name: "Glucose", value: 90, low: 100, high: 70, date: new Date("2024-01-01") } });
    expect(fieldErrorsOf(range.error!)).toEqual({ "entry.high": ["The high end of the range must not be below the low end."] });
  });

  it("never reads a blank number as zero", () => {
    expect(manualEntry.safeParse({ kind: "family-history", relationship: "MTH", condition: "Asthma", onsetAge: "" }).success).toBe(false);
    expect(manualEntry.safeParse({ kind: "measurement", category: "vitals", name: "Weight", value: null, date: new Date("2024-01-01") }).success).toBe(false);
  });

  it("words nested profile problems for the patient", () => {
    const parsed = profileUpdate.safeParse({ emergencyContact: { name: " ", phone: "" }, insurance: { payer: "Acme", memberId: "" }, address: { city: "x".repeat(101) } });
    expect(fieldErrorsOf(parsed.error!)).toEqual({
      "emergencyContact.name": ["Enter the contact's name."],
      "emergencyContact.phone": ["Enter a phone number to reach them."],
      "insurance.memberId": ["Enter the member ID from your card."],
      "address.city": ["Use at most 100 characters."],
    });
  });

  it("judges 'the future' when the request arrives, not when the server started", () => {
    vi.useFakeTimers({ now: new Date("2030-06-01T12:00:00Z") });
    try {
      expect(manualEntry.safeParse({ kind: "procedure", name: "Appendectomy", date: new Date("2030-05-31T12:00:00Z") }).success).toBe(true);
      expect(profileUpdate.safeParse({ birthDate: new Date("2030-05-31") }).success).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});
