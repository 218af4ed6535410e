// Which role owns which part of the app. Shared by the proxy (edge) and the
// server layouts, so it must stay free of server-only imports.
import type { Role } from "@/server/db/generated/enums";

export const AREA_ROLE = { "/patient": "PATIENT", "/professional": "PROFESSIONAL", "/admin": "ADMIN" } as const satisfies Record<
  string,
  Role
>;
export type Area = keyof typeof AREA_ROLE;

export function areaForPath(pathname: string): Area | null {
  for (const area of Object.keys(AREA_ROLE) as Area[]) {
    if (pathname === area || pathname.startsWith(`${area}/`)) return area;
  }
  return null;
}

export function homeFor(role: Role): Area {
  return role === "ADMIN" ? "/admin" : role === "PROFESSIONAL" ? "/professional" : "/patient";
}
