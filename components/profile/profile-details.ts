import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/root";

type ProfileUpdate = inferRouterInputs<AppRouter>["patient"]["profile"]["update"];
export type Profile = inferRouterOutputs<AppRouter>["patient"]["profile"]["get"];
export type Sex = NonNullable<ProfileUpdate["sex"]>;
export type Address = NonNullable<ProfileUpdate["address"]>;
export type EmergencyContact = NonNullable<ProfileUpdate["emergencyContact"]>;
export type Insurance = NonNullable<ProfileUpdate["insurance"]>;

export const SEX_LABELS: Record<Sex, string> = { female: "Female", male: "Male", other: "Other", unknown: "Unknown" };

/** The profile's structured parts, stored as JSON in the shape the update procedure accepts. */
export function profileParts(profile: Profile) {
  return {
    address: profile.address as Address | null,
    emergencyContact: profile.emergencyContact as EmergencyContact | null,
    insurance: profile.insurance as Insurance | null,
  };
}

export function formatAddress(address: Address | null) {
  if (!address) return null;
  const cityLine = [address.city, [address.state, address.postalCode].filter(Boolean).join(" ")].filter(Boolean).join(", ");
  return [...(address.line ?? []), cityLine, address.country].filter(Boolean).join(", ") || null;
}
