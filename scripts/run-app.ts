// `npm run dev` / `npm start`: database (embedded unless DATABASE_URL is set),
// migrations, demo data, then Next.js. Stops everything cleanly on Ctrl-C/SIGTERM.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { localAuthSecret } from "./lib/auth-secret";
import { prepareDatabase, provideDatabase } from "./lib/database";
import { seedDemoData } from "./seed";

const mode = process.argv[2] === "start" ? "start" : "dev";
const log = (line: string) => console.log(`[holovitals] ${line}`);

async function main() {
  const database = await provideDatabase(log);
  process.env.DATABASE_URL = database.url;
  await prepareDatabase(database.url, log);
  // Demo data only where it cannot hurt: the embedded database, or when asked for.
  if (database.embedded || process.env.SEED_DEMO_DATA === "true") await seedDemoData(log);

  const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");
  const next = spawn(process.execPath, [nextBin, mode, ...process.argv.slice(3)], {
    stdio: "inherit",
    env: {
      ...process.env,
      AUTH_SECRET: process.env.AUTH_SECRET ?? localAuthSecret(),
      NEXT_TELEMETRY_DISABLED: "1",
    },
  });

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping Next.js, then the database`);
    next.kill(signal);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  next.on("exit", async (code, signal) => {
    await database.stop();
    if (database.embedded) log("embedded postgres stopped");
    process.exit(code ?? (signal ? 0 : 1));
  });
}

main().catch((error) => {
  console.error(`[holovitals] could not start: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
