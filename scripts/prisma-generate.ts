// Runs `prisma generate` offline. The CLI insists on downloading a native schema
// engine before any command; generate itself only needs wasm, so point the check
// at an existing file (see STACK-NOTES "Prisma 7.10").
import { spawnSync } from "node:child_process";

const result = spawnSync("prisma", ["generate"], {
  stdio: "inherit",
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
    CHECKPOINT_DISABLE: "1",
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
  },
  shell: false,
});
process.exit(result.status ?? 1);
