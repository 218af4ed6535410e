// Keeps the path to splitting any domain into its own service straight:
// a domain's models live in its own PostgreSQL schema, no Prisma relation
// crosses domains, a domain touches only its own tables, and other domains
// reach it only through its public entry point (server/<domain>/index.ts).
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { findBoundaryViolations, type DomainSources } from "@/tests/support/boundaries";

const ROOT = path.resolve(import.meta.dirname, "../..");

function readTree(dir: string): { file: string; source: string }[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === "generated" ? [] : readTree(full);
    return /\.(ts|tsx)$/.test(name) ? [{ file: path.relative(ROOT, full), source: readFileSync(full, "utf8") }] : [];
  });
}

function projectSources(): DomainSources {
  const prismaDir = path.join(ROOT, "prisma");
  const schemaFiles = readdirSync(prismaDir)
    .filter((f) => f.endsWith(".prisma") && f !== "schema.prisma")
    .map((f) => ({ domain: f.replace(/\.prisma$/, ""), source: readFileSync(path.join(prismaDir, f), "utf8") }));
  const serverDir = path.join(ROOT, "server");
  const domains = readdirSync(serverDir).filter((d) => statSync(path.join(serverDir, d)).isDirectory() && d !== "db");
  const code = [
    ...readTree(serverDir),
    ...["app", "components", "inngest", "scripts"].flatMap((d) => {
      try {
        return readTree(path.join(ROOT, d));
      } catch {
        return [];
      }
    }),
  ];
  return { schemaFiles, domains, code };
}

describe("domain boundaries", () => {
  it("holds for the project as it is", () => {
    expect(findBoundaryViolations(projectSources())).toEqual([]);
  });

  // The checker itself must catch each kind of violation, or the test above proves nothing.
  const base: DomainSources = {
    schemaFiles: [
      { domain: "auth", source: 'model User {\n  id String @id\n  @@schema("auth")\n}' },
      { domain: "compliance", source: 'model AuditEvent {\n  id String @id\n  @@schema("compliance")\n}' },
    ],
    domains: ["auth", "compliance"],
    code: [],
  };

  it("catches a model in another domain's schema", () => {
    const sources = { ...base, schemaFiles: [...base.schemaFiles, { domain: "auth", source: 'model Stray {\n id String @id\n @@schema("compliance")\n}' }] };
    expect(findBoundaryViolations(sources)).toEqual([expect.stringMatching(/Stray.*schema "compliance".*auth\.prisma/)]);
  });

  it("catches a model or enum without @@schema", () => {
    const sources = { ...base, schemaFiles: [...base.schemaFiles, { domain: "auth", source: "enum Colour {\n RED\n}" }] };
    expect(findBoundaryViolations(sources)).toEqual([expect.stringMatching(/Colour.*no @@schema/)]);
  });

  it("catches a relation that crosses domains", () => {
    const sources = {
      ...base,
      schemaFiles: [
        base.schemaFiles[0],
        { domain: "compliance", source: 'model AuditEvent {\n  id String @id\n  actor User @relation(fields: [id], references: [id])\n  @@schema("compliance")\n}' },
      ],
    };
    expect(findBoundaryViolations(sources)).toEqual([expect.stringMatching(/AuditEvent\.actor.*User.*auth/)]);
  });

  it("catches a deep import into another domain", () => {
    const sources = { ...base, code: [{ file: "server/auth/service.ts", source: 'import { x } from "@/server/compliance/audit-writer";' }] };
    expect(findBoundaryViolations(sources)).toEqual([expect.stringMatching(/server\/auth\/service\.ts imports @\/server\/compliance\/audit-writer/)]);
  });

  it("allows the public entry point and shared modules", () => {
    const sources = {
      ...base,
      code: [{ file: "server/auth/service.ts", source: 'import { x } from "@/server/compliance";\nimport { db } from "@/server/db/client";\nimport { y } from "./lockout";' }],
    };
    expect(findBoundaryViolations(sources)).toEqual([]);
  });

  it("catches a domain using another domain's table through Prisma or SQL", () => {
    const sources = {
      ...base,
      code: [
        { file: "server/auth/service.ts", source: "await db.auditEvent.findMany();" },
        { file: "server/auth/other.ts", source: 'await tx.$queryRaw`SELECT * FROM compliance."AuditEvent"`;' },
      ],
    };
    expect(findBoundaryViolations(sources)).toEqual([
      expect.stringMatching(/server\/auth\/service\.ts uses model AuditEvent of domain compliance/),
      expect.stringMatching(/server\/auth\/other\.ts queries schema compliance/),
    ]);
  });
});
