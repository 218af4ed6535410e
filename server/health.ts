import { db } from "@/server/db/client";
import { pendingMigrations } from "@/server/db/migrations";
import { documentSettingsProblems } from "@/server/documents";

export type Readiness =
  | { status: "ready"; database: "ok"; pendingMigrations: [] }
  | { status: "not_ready"; database: "ok" | "unreachable"; pendingMigrations: string[]; problem: string };

export async function checkReadiness(): Promise<Readiness> {
  try {
    await db.$queryRaw`SELECT 1`;
  } catch {
    return { status: "not_ready", database: "unreachable", pendingMigrations: [], problem: "database unreachable" };
  }
  try {
    const pending = await pendingMigrations((sql) => db.$queryRawUnsafe(sql));
    if (pending.length > 0) {
      return { status: "not_ready", database: "ok", pendingMigrations: pending, problem: "migrations pending" };
    }
    const settings = documentSettingsProblems();
    if (settings.length > 0) return { status: "not_ready", database: "ok", pendingMigrations: [], problem: `invalid settings: ${settings.join("; ")}` };
    return { status: "ready", database: "ok", pendingMigrations: [] };
  } catch {
    return { status: "not_ready", database: "ok", pendingMigrations: [], problem: "migration history unreadable" };
  }
}
