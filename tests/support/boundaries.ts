// The rules behind tests/unit/domain-boundaries.test.ts, separated from the
// file system so the test can prove each rule catches what it should.

export type DomainSources = {
  /** One entry per prisma/<domain>.prisma. */
  schemaFiles: { domain: string; source: string }[];
  /** Folders under server/ that are domains. */
  domains: string[];
  code: { file: string; source: string }[];
};

const BLOCK = /^(model|enum)\s+(\w+)\s*\{([\s\S]*?)^\}/gm;

function lowerFirst(name: string) {
  return name[0].toLowerCase() + name.slice(1);
}

export function findBoundaryViolations({ schemaFiles, domains, code }: DomainSources): string[] {
  const violations: string[] = [];
  const domainOfType = new Map<string, string>();
  const blocks: { kind: string; name: string; body: string; domain: string }[] = [];

  for (const { domain, source } of schemaFiles) {
    for (const [, kind, name, body] of source.matchAll(BLOCK)) {
      blocks.push({ kind, name, body, domain });
      domainOfType.set(name, domain);
      const schema = body.match(/@@schema\("([^"]+)"\)/)?.[1];
      if (!schema) violations.push(`${kind} ${name} in ${domain}.prisma has no @@schema`);
      else if (schema !== domain) violations.push(`${kind} ${name} is in schema "${schema}" but defined in ${domain}.prisma`);
    }
  }

  for (const block of blocks.filter((b) => b.kind === "model")) {
    for (const line of block.body.split("\n")) {
      const field = line.trim().match(/^(\w+)\s+(\w+)(\[\])?\??/);
      if (!field) continue;
      const [, fieldName, type] = field;
      const target = domainOfType.get(type);
      if (target && target !== block.domain && blocks.some((b) => b.name === type && b.kind === "model")) {
        violations.push(`relation ${block.name}.${fieldName} (${block.domain}) points at ${type} of domain ${target}: store the id instead`);
      }
    }
  }

  const delegateDomain = new Map(
    blocks.filter((b) => b.kind === "model").map((b) => [lowerFirst(b.name), { model: b.name, domain: b.domain }]),
  );
  const domainSet = new Set(domains);

  for (const { file, source } of code) {
    const owner = file.match(/^server\/([^/]+)\//)?.[1];
    const ownerDomain = owner && domainSet.has(owner) ? owner : null;

    for (const [, specifier] of source.matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)) {
      const target = specifier.match(/^@\/server\/([^/]+)(\/.*)?$/);
      if (!target) continue;
      const [, targetDomain, rest] = target;
      if (!domainSet.has(targetDomain) || targetDomain === ownerDomain) continue;
      // Shared infrastructure (server/*.ts, app routes, scripts) composes domains but must still use their entry points,
      // except the router and the Next-only Auth.js wiring, which root.ts and the app mount directly, and the
      // dependency-free route builders browser components import (an entry point would pull the server code in).
      const allowedDeep = !ownerDomain && /^\/(router|nextauth|page-guard|areas|edge-config|urls)$/.test(rest ?? "");
      if (rest && !allowedDeep) violations.push(`${file} imports ${specifier}: use @/server/${targetDomain} (its public entry point)`);
    }

    if (!ownerDomain) continue;
    for (const [, delegate] of source.matchAll(/\b(?:db|tx)\.(\w+)\./g)) {
      const model = delegateDomain.get(delegate);
      if (model && model.domain !== ownerDomain) {
        violations.push(`${file} uses model ${model.model} of domain ${model.domain}: call that domain's public API`);
      }
    }
    for (const [, schema] of source.matchAll(/\b(\w+)\."[A-Z]\w*"/g)) {
      if (domainSet.has(schema) && schema !== ownerDomain) {
        violations.push(`${file} queries schema ${schema} in SQL: call that domain's public API`);
      }
    }
  }
  return violations;
}
