import type { RecordCategory } from "@/server/compliance";

/** What each part of a record is called on screen, in the order patients look for them. */
export const RECORD_CATEGORY_LABELS: Record<RecordCategory, string> = {
  labs: "Lab results",
  medications: "Medications",
  conditions: "Conditions",
  allergies: "Allergies",
  vitals: "Vital signs",
  immunizations: "Immunizations",
  procedures: "Procedures",
  encounters: "Visits",
  "family-history": "Family history",
  "care-plans": "Care plans",
  imaging: "Imaging",
  devices: "Devices & implants",
  "social-history": "Social history & surveys",
  documents: "Documents & notes",
  claims: "Insurance claims",
  demographics: "Profile & contact details",
  other: "Other records",
};

export const RECORD_CATEGORY_OPTIONS = Object.entries(RECORD_CATEGORY_LABELS) as [RecordCategory, string][];

/** What a grant covers, in words: an empty list means the whole record. */
export function describeSharedCategories(categories: readonly string[]) {
  if (categories.length === 0) return "Whole record";
  return categories.map((c) => RECORD_CATEGORY_LABELS[c as RecordCategory] ?? c).join(", ");
}

/**
 * A day in the record as the same calendar day everywhere: in UTC, where date-only
 * FHIR values (midnight) and the days patients enter (noon) both fall, and the
 * same on the server and in the browser.
 */
export function formatDate(date: Date) {
  return date.toLocaleDateString("en-US", { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });
}
