// What the documents integration tests share: a session secret, a temporary
// document store and the embedded job worker for the file's tests; uploads
// through the real route handler with a real session cookie; and waiting for
// the process-document function to finish.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { encode } from "next-auth/jwt";
import PDFDocument from "pdfkit";
import { afterAll, beforeAll } from "vitest";
import { POST as uploadRoute } from "@/app/api/patients/[patientId]/documents/route";
import { embeddedWorker } from "@/inngest/start";
import type { SessionUser } from "@/server/auth";
import { db } from "@/server/db/client";
import { stopOcr } from "@/server/documents";
import type { EmbeddedWorker } from "@/server/jobs";
import { callerFor, makeUser } from "./actors";
import { waitFor } from "./executor";

const FIXTURES = path.join(import.meta.dirname, "..", "fixtures", "documents");
const AUTH_SECRET = "documents test secret, long enough for HKDF";

export const documentFixture = (name: string) => readFile(path.join(FIXTURES, name));

/** For the calling test file: the session secret, a store in a temporary folder, and the job worker; all undone after. */
export function useDocumentsEnvironment() {
  let worker: EmbeddedWorker;
  let storageDir = "";
  const saved = { secret: process.env.AUTH_SECRET, storage: process.env.DOCUMENT_STORAGE_DIR };
  beforeAll(async () => {
    process.env.AUTH_SECRET = AUTH_SECRET;
    storageDir = await mkdtemp(path.join(tmpdir(), "holovitals-documents-"));
    process.env.DOCUMENT_STORAGE_DIR = storageDir;
    worker = embeddedWorker({ leaseMs: 30_000 });
    await worker.start();
  });
  afterAll(async () => {
    await worker.stop();
    await stopOcr();
    await rm(storageDir, { recursive: true, force: true });
    process.env.AUTH_SECRET = saved.secret;
    process.env.DOCUMENT_STORAGE_DIR = saved.storage;
  });
  return { storageDir: () => storageDir };
}

export async function cookieFor(user: SessionUser) {
  const { sessionVersion } = await db.user.findUniqueOrThrow({ where: { id: user.id } });
  const name = "authjs.session-token";
  return `${name}=${await encode({ token: { sub: user.id, role: user.role, sessionVersion }, secret: AUTH_SECRET, salt: name, maxAge: 600 })}`;
}

/** POSTs a file to the upload route as `user` (signed out when null); the response's status and JSON. */
export async function uploadAs(user: SessionUser | null, patientId: string, file: { name: string; bytes: Buffer; type?: string }, fields: Record<string, string> = {}) {
  const form = new FormData();
  form.set("file", new File([new Uint8Array(file.bytes)], file.name, { type: file.type ?? "application/octet-stream" }));
  for (const [key, value] of Object.entries(fields)) form.set(key, value);
  const headers = new Headers(user ? { cookie: await cookieFor(user) } : {});
  const response = await uploadRoute(new Request(`http://localhost/api/patients/${patientId}/documents`, { method: "POST", body: form, headers }), {
    params: Promise.resolve({ patientId }),
  });
  return { status: response.status, body: await response.json() };
}

export async function patientWithRecord() {
  const user = await makeUser("PATIENT");
  const { id: patientId } = await callerFor(user).patient.mine();
  return { user, patientId };
}

/** The document once its processing ended: results found (DATA_EXTRACTED) or FAILED. */
export function processedDocument(documentId: string) {
  return waitFor(async () => {
    const document = await db.document.findUniqueOrThrow({ where: { id: documentId } });
    return ["DATA_EXTRACTED", "FAILED"].includes(document.status) && document;
  }, 90_000);
}

/** A PDF drawn by `write` (pdfkit), as bytes. */
export async function pdfOf(write: (doc: PDFKit.PDFDocument) => void, options: PDFKit.PDFDocumentOptions = {}) {
  const doc = new PDFDocument(options);
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise((resolve) => doc.on("end", resolve));
  write(doc);
  doc.end();
  await ended;
  return Buffer.concat(chunks);
}
