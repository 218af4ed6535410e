import { defineConfig } from "prisma/config";

// Prisma 7 does not read .env; the URL is only needed by CLI commands that touch
// a database, which this project runs through scripts/db.ts instead (see README).
export default defineConfig({
  schema: "prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost/holovitals" },
});
