import { describe, expect, it } from "vitest";
import { searchColumnsOf } from "@/server/patient/fhir/search-columns";

describe("search columns of a resource", () => {
  const mother = { resourceType: "FamilyMemberHistory", status: "completed", patient: { reference: "Patient/p" }, relationship: { text: "mother" }, date: "2021-01-05" } as const;

  it("names a resource by its coded concept", () => {
    const withCondition = { ...mother, condition: [{ code: { coding: [{ system: "http://snomed.info/sct", code: "44054006", display: "Diabetes mellitus type 2" }] } }] };
    expect(searchColumnsOf(withCondition)).toMatchObject({
      category: "family-history",
      codeSystem: "http://snomed.info/sct",
      code: "44054006",
      display: "Diabetes mellitus type 2",
      effectiveAt: new Date("2021-01-05"),
    });
  });

  it("falls back to its first note when nothing is coded, and to nothing without one", () => {
    expect(searchColumnsOf({ ...mother, note: [{ text: " No known chronic conditions. " }] })).toMatchObject({ code: null, display: "No known chronic conditions." });
    expect(searchColumnsOf(mother).display).toBeNull();
  });
});
