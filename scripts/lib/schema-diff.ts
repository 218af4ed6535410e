// Offline migration SQL. Prisma's CLI needs a native schema engine it cannot
// download here (STACK-NOTES), so we drive the wasm build of the same engine:
// a diff between two datamodels needs no database, only an adapter to hold.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { bindMigrationAwareSqlAdapterFactory, mockAdapter } from "@prisma/driver-adapter-utils";

export type SchemaFile = { path: string; content: string };

type SchemaEngine = {
  diff(params: unknown): Promise<{ exitCode: number; stdout: string | null }>;
  free(): void;
};

// On start-up the engine probes the server version and creates "public"; an
// adapter that answers with nothing makes it fall back to defaults.
function offlinePostgresAdapterFactory() {
  const adapter = {
    ...mockAdapter("postgres"),
    adapterName: "@prisma/adapter-pg",
    queryRaw: async () => ({ columnNames: [], columnTypes: [], rows: [] }),
    executeRaw: async () => 0,
    executeScript: async () => {},
    dispose: async () => {},
  };
  return {
    provider: "postgres" as const,
    adapterName: "@prisma/adapter-pg",
    connect: async () => adapter,
    connectToShadowDb: async () => adapter,
  };
}

async function loadEngine(): Promise<SchemaEngine> {
  const require = createRequire(import.meta.url);
  const bindingsPath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
  const bindings = await import(bindingsPath);
  const wasmBytes = await readFile(bindingsPath.replace(/\.js$/, ".wasm"));
  const { instance } = await WebAssembly.instantiate(wasmBytes, { "./schema_engine_bg.js": bindings });
  bindings.__wbg_set_wasm(instance.exports);
  (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const factory = bindMigrationAwareSqlAdapterFactory(offlinePostgresAdapterFactory() as any);
  return bindings.SchemaEngine.new({ datamodels: undefined }, () => {}, factory);
}

/** SQL that turns a database shaped like `from` (or an empty one) into one shaped like `to`. */
export async function diffSchemas(from: SchemaFile[] | "empty", to: SchemaFile[]): Promise<string> {
  const engine = await loadEngine();
  try {
    const datamodel = (files: SchemaFile[]) => ({ tag: "schemaDatamodel", files });
    const result = await engine.diff({
      from: from === "empty" ? { tag: "empty" } : datamodel(from),
      to: datamodel(to),
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    });
    return result.stdout ?? "";
  } finally {
    engine.free();
  }
}
