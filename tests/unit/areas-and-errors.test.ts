import { describe, expect, it } from "vitest";
import { areaForPath, homeFor } from "@/server/auth/areas";
import { signUpPatientInput } from "@/server/auth/schemas";
import { AppError, asAppError } from "@/server/errors";

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
