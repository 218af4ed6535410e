// The identifier kinds of the HIPAA Privacy Rule's Safe Harbor method (45 CFR 164.514(b)(2)), as the de-identifier
// names what it removed. Street addresses, cities and ZIP codes are all "geographic subdivisions smaller than a
// State", kept apart because each is replaced differently (a ZIP code keeps its first three digits where allowed).
export const PHI_KINDS = [
  "NAME",
  "ADDRESS", // street, house number, unit, post-office box
  "LOCATION", // city, town, county, or another place name below state level
  "ZIP", // a postal code
  "DATE", // a date element other than the year, or a time that goes with one
  "AGE", // an age over 89
  "PHONE",
  "FAX",
  "EMAIL",
  "SSN",
  "MRN", // medical record number
  "HEALTH_PLAN", // health plan beneficiary, member or policy number
  "ACCOUNT", // account, card or IBAN number
  "LICENSE", // certificate or licence number (driving, professional, DEA, NPI)
  "VEHICLE", // vehicle identifier, serial number or plate
  "DEVICE", // device identifier or serial number
  "URL",
  "IP", // IP or MAC address
  "BIOMETRIC", // biometric identifier (finger or voice print)
  "PHOTO", // full-face photograph or comparable image
  "OTHER_ID", // any other unique identifying number, characteristic or code
] as const;

export type PhiKind = (typeof PHI_KINDS)[number];

/** The placeholder a removed identifier leaves behind, so a reader (or a model) still knows what stood there. */
export const PLACEHOLDER: Record<PhiKind, string> = {
  NAME: "[NAME]",
  ADDRESS: "[ADDRESS]",
  LOCATION: "[LOCATION]",
  ZIP: "[ZIP]",
  DATE: "[DATE]",
  AGE: "90+",
  PHONE: "[PHONE]",
  FAX: "[FAX]",
  EMAIL: "[EMAIL]",
  SSN: "[SSN]",
  MRN: "[MRN]",
  HEALTH_PLAN: "[PLAN-ID]",
  ACCOUNT: "[ACCOUNT]",
  LICENSE: "[LICENSE]",
  VEHICLE: "[VEHICLE-ID]",
  DEVICE: "[DEVICE-ID]",
  URL: "[URL]",
  IP: "[IP]",
  BIOMETRIC: "[BIOMETRIC]",
  PHOTO: "[PHOTO]",
  OTHER_ID: "[ID]",
};
