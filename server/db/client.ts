import { PrismaPg } from "@prisma/adapter-pg";
import { pgConnectionConfig } from "./connection";
import { PrismaClient } from "./generated/client";

// One client per process (per serverless instance). In development it is kept
// on globalThis so Next's hot reload does not open a new pool on every edit.
const globalForDb = globalThis as unknown as { holovitalsDb?: PrismaClient };

function createClient() {
  const adapter = new PrismaPg({ ...pgConnectionConfig(), max: Number(process.env.DATABASE_POOL_MAX ?? 10) });
  return new PrismaClient({ adapter });
}

export const db: PrismaClient = globalForDb.holovitalsDb ?? createClient();
if (process.env.NODE_ENV === "development") globalForDb.holovitalsDb = db;

export type Db = PrismaClient;
export type DbTransaction = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];
