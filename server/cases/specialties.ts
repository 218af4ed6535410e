// The specialties a patient can ask a second opinion of. A professional's queue holds the cases of their own
// specialty (as they gave it at sign-up, compared without case).
export const SPECIALTIES = [
  "Cardiology",
  "Dermatology",
  "Endocrinology",
  "Gastroenterology",
  "Hematology",
  "Internal medicine",
  "Nephrology",
  "Neurology",
  "Oncology",
  "Orthopedics",
  "Pulmonology",
  "Rheumatology",
] as const;

export const sameSpecialty = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
