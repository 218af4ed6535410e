// Uploads straight from the browser to S3 (for files larger than a Vercel
// function's 4.5 MB request body), against a fake S3 on loopback that checks
// presigned signatures: a URL for exactly the announced size, the file PUT to
// it over HTTP, then filed and read like any upload. Refused files and
// abandoned uploads leave nothing behind; wrong users get nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { documentDetail } from "@/server/documents/queries";
import { documentStorage, StoredFileMissingError } from "@/server/documents/storage";
import { directUploadOrigin } from "@/server/documents/urls";
import { auditRows, callerFor, makeUser, trpcError } from "../support/actors";
import { documentFixture, patientWithRecord, processedDocument, useDocumentsEnvironment } from "../support/documents";
import { FAKE_S3_CREDENTIALS, startFakeS3 } from "../support/fake-s3";

const BUCKET = "direct-uploads";
const S3_ENV = ["S3_BUCKET", "S3_ENDPOINT", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY", "S3_FORCE_PATH_STYLE"] as const;
let fakeS3: Awaited<ReturnType<typeof startFakeS3>>;
const saved = Object.fromEntries(S3_ENV.map((name) => [name, process.env[name]]));

// Before any store is made in this process: documents go to the fake S3.
beforeAll(async () => {
  fakeS3 = await startFakeS3(BUCKET);
  Object.assign(process.env, {
    S3_BUCKET: BUCKET,
    S3_ENDPOINT: fakeS3.endpoint,
    S3_ACCESS_KEY_ID: FAKE_S3_CREDENTIALS.accessKeyId,
    S3_SECRET_ACCESS_KEY: FAKE_S3_CREDENTIALS.secretAccessKey,
    S3_FORCE_PATH_STYLE: "true",
  });
});
useDocumentsEnvironment();
afterAll(async () => {
  await fakeS3.stop();
  for (const name of S3_ENV) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

const put = (url: string, headers: Record<string, string>, body: Buffer) => fetch(url, { method: "PUT", headers, body: new Uint8Array(body) });

async function incomingObjects() {
  const listing = await fetch(`${fakeS3.endpoint}/${BUCKET}?list-type=2&prefix=incoming/`);
  return [...(await listing.text()).matchAll(/<Key>([^<]+)<\/Key>/g)].map((m) => m[1]);
}

describe("direct uploads to S3", () => {
  it("files a report sent straight to the bucket like any upload, reads it from there, and keeps no incoming copy", async () => {
    const { user, patientId } = await patientWithRecord();
    const bytes = await documentFixture("fhir-example-cbc-report.pdf");
    const me = callerFor(user);
    const target = await me.documents.uploads.start({ patientId, sizeBytes: bytes.length });
    // The browser may only reach the bucket's origin (the Content-Security-Policy names it).
    expect(new URL(target.url).origin).toBe(directUploadOrigin(process.env));
    expect((await put(target.url, target.headers, bytes)).status).toBe(200);
    expect(await incomingObjects()).toEqual([`incoming/${patientId}/${target.uploadId}`]);

    const { document, duplicate } = await me.documents.uploads.finish({ patientId, uploadId: target.uploadId, fileName: "cbc.pdf", title: "Blood count" });
    expect([duplicate, document.title, document.mimeType, document.sizeBytes]).toEqual([false, "Blood count", "application/pdf", bytes.length]);
    expect(await incomingObjects()).toEqual([]);
    expect(await processedDocument(document.id)).toMatchObject({ status: "DATA_EXTRACTED" });
    expect((await documentDetail(patientId, document.id)).results).toHaveLength(17);

    // The same file again is the same document.
    const again = await me.documents.uploads.start({ patientId, sizeBytes: bytes.length });
    await put(again.url, again.headers, bytes);
    await expect(me.documents.uploads.finish({ patientId, uploadId: again.uploadId, fileName: "cbc-again.pdf" })).resolves.toMatchObject({ duplicate: true, document: { id: document.id } });
    expect(await incomingObjects()).toEqual([]);

    const audit = (await auditRows({ actorUserId: user.id })).filter((r) => r.action.startsWith("documents.upload"));
    expect(audit.map((r) => [r.action, r.outcome, r.detail])).toEqual([
      ["documents.upload.start", "SUCCESS", "own record"],
      ["documents.upload", "SUCCESS", `own record; ${bytes.length} bytes, application/pdf, sent straight to storage`],
      ["documents.upload.start", "SUCCESS", "own record"],
      ["documents.upload", "SUCCESS", "own record; same file already stored"],
    ]);
  });

  it("signs the size (S3 refuses a body of another length) and checks it again when the file is filed", async () => {
    const { user, patientId } = await patientWithRecord();
    const me = callerFor(user);
    const target = await me.documents.uploads.start({ patientId, sizeBytes: 1000 });
    const signed = new URL(target.url).searchParams;
    expect(signed.get("X-Amz-SignedHeaders")?.split(";")).toEqual(["content-length", "content-type", "host"]);
    // A checksum of the empty body in the URL would make S3 refuse every real file as corrupt.
    expect([...signed.keys()].filter((name) => name.toLowerCase().startsWith("x-amz-checksum"))).toEqual([]);

    // The fake store does not check the signed length, as a careless S3-compatible store might not: the app does.
    const oversized = Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.alloc(21 * 1024 * 1024)]);
    expect((await put(target.url, target.headers, oversized)).status).toBe(200);
    expect((await trpcError(me.documents.uploads.finish({ patientId, uploadId: target.uploadId, fileName: "huge.pdf" }))).code).toBe("PAYLOAD_TOO_LARGE");
    expect(await incomingObjects()).toEqual([]);
    expect(await db.document.count({ where: { patientId } })).toBe(0);
  });

  it("gives no URL for an empty or too large file, and refuses (and removes) a file that is not a report", async () => {
    const { user, patientId } = await patientWithRecord();
    const me = callerFor(user);
    const tooLarge = await trpcError(me.documents.uploads.start({ patientId, sizeBytes: 200 * 1024 * 1024 }));
    expect([tooLarge.code, tooLarge.message]).toEqual(["PAYLOAD_TOO_LARGE", expect.stringMatching(/^This file is 200 MB; the limit is 20 MB\./)]);
    expect((await trpcError(me.documents.uploads.start({ patientId, sizeBytes: 0 }))).message).toMatch(/^This file is empty/);

    const program = Buffer.concat([Buffer.from("MZ"), Buffer.alloc(2000)]);
    const target = await me.documents.uploads.start({ patientId, sizeBytes: program.length });
    await put(target.url, target.headers, program);
    const refused = await trpcError(me.documents.uploads.finish({ patientId, uploadId: target.uploadId, fileName: "report.pdf" }));
    expect([refused.code, refused.message]).toEqual(["BAD_REQUEST", "This file is a Windows program, whatever its name says. Upload a PDF, PNG, JPEG or TIFF."]);
    expect(await incomingObjects()).toEqual([]);
    expect(await db.document.count({ where: { patientId } })).toBe(0);

    const never = await trpcError(me.documents.uploads.finish({ patientId, uploadId: "0190a000-0000-7000-8000-000000000000", fileName: "lost.pdf" }));
    expect([never.code, never.message]).toEqual(["NOT_FOUND", "The file did not arrive, or its upload link expired. Upload it again."]);
  });

  it("refuses other users, and an upload finished under another record finds nothing", async () => {
    const { user, patientId } = await patientWithRecord();
    const target = await callerFor(user).documents.uploads.start({ patientId, sizeBytes: 100 });
    await put(target.url, target.headers, Buffer.alloc(100, 7));

    const stranger = await patientWithRecord();
    const doctor = await makeUser("PROFESSIONAL", { verified: true });
    await callerFor(user).compliance.consent.grant({ professionalEmail: doctor.email, categories: "ALL", purpose: "care", expiresAt: new Date(Date.now() + 86_400_000) });
    for (const other of [stranger.user, doctor]) {
      expect((await trpcError(callerFor(other).documents.uploads.start({ patientId, sizeBytes: 100 }))).code).toBe("FORBIDDEN");
      expect((await trpcError(callerFor(other).documents.uploads.finish({ patientId, uploadId: target.uploadId, fileName: "x.pdf" }))).code).toBe("FORBIDDEN");
    }
    const elsewhere = await trpcError(callerFor(stranger.user).documents.uploads.finish({ patientId: stranger.patientId, uploadId: target.uploadId, fileName: "x.pdf" }));
    expect(elsewhere.code).toBe("NOT_FOUND");
    await expect(documentStorage().get(`incoming/${patientId}/${target.uploadId}`)).resolves.toHaveLength(100);
    await documentStorage().delete(`incoming/${patientId}/${target.uploadId}`);
    await expect(documentStorage().get(`incoming/${patientId}/${target.uploadId}`)).rejects.toBeInstanceOf(StoredFileMissingError);
  });
});
