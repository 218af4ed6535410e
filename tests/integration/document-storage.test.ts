// The document stores against real I/O: S3 through s3rver (a fake S3 listening on loopback) and the
// local folder store in a temporary directory. Nothing is mocked.
import { randomBytes, randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createDocumentStorage,
  documentStorage,
  storageSettingsFromEnv,
  StoredFileMissingError,
  type DocumentStorage,
  type S3StorageSettings,
} from "@/server/documents/storage";
import { documentSettingsProblems } from "@/server/documents";
import { directUploadOrigin } from "@/server/documents/urls";
import { checkReadiness } from "@/server/health";
import { FAKE_S3_CREDENTIALS, startFakeS3 } from "../support/fake-s3";

const BUCKET = "documents";
const temps: string[] = [];
function tempDir() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "hv-document-storage-"));
  temps.push(dir);
  return dir;
}

/** A small PNG: the signature, then random bytes (not valid UTF-8, so any text decoding on the way would show). */
const png = () => Buffer.concat([Buffer.from("89504e470d0a1a0a", "hex"), randomBytes(64 * 1024)]);
const documentKey = () => `patients/${randomUUID()}/documents/${randomUUID()}/original`;
const REFUSED_KEYS = ["../escaped", "patients/../../escaped", "/tmp/escaped", "patients\\..\\escaped", "patients//original", "patients/", "", ".", "patients/./x"];

let s3rver: Awaited<ReturnType<typeof startFakeS3>>;
let s3Settings: S3StorageSettings;
/** Requests s3rver received, as sent on the wire. */
const received: { method?: string; path: string; headers: Record<string, string | string[] | undefined> }[] = [];

beforeAll(async () => {
  s3rver = await startFakeS3(BUCKET);
  s3rver.httpServer.prependListener("request", (request) => {
    received.push({ method: request.method, path: new URL(request.url ?? "/", "http://s3rver").pathname, headers: request.headers });
  });
  s3Settings = {
    kind: "s3",
    bucket: BUCKET,
    region: "us-east-1",
    endpoint: s3rver.endpoint,
    credentials: FAKE_S3_CREDENTIALS,
    forcePathStyle: true,
    keyPrefix: "",
  };
});

afterAll(async () => {
  await s3rver?.stop();
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** What every store must do, whichever kind. */
function behavesAsADocumentStore(store: () => DocumentStorage) {
  it("gives back exactly the bytes it was given", async () => {
    const key = documentKey();
    const body = png();
    await store().put(key, body, "image/png");
    const read = await store().get(key);
    expect(Buffer.isBuffer(read)).toBe(true);
    expect(read.equals(body)).toBe(true);
  });

  it("replaces the bytes when a key is written again", async () => {
    const key = documentKey();
    await store().put(key, png(), "image/png");
    const second = png();
    await store().put(key, second, "image/png");
    expect((await store().get(key)).equals(second)).toBe(true);
  });

  it("throws StoredFileMissingError for a key never written", async () => {
    const key = documentKey();
    const error = await store().get(key).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoredFileMissingError);
    expect(error).toMatchObject({ key });
  });

  it("deletes: the key is then missing, and deleting it again resolves", async () => {
    const key = documentKey();
    await store().put(key, png(), "image/png");
    await store().delete(key);
    await expect(store().get(key)).rejects.toBeInstanceOf(StoredFileMissingError);
    await expect(store().delete(key)).resolves.toBeUndefined();
    await expect(store().delete(documentKey())).resolves.toBeUndefined();
  });

  it("refuses keys that are not plain relative paths", async () => {
    for (const key of REFUSED_KEYS) {
      await expect(store().put(key, png(), "image/png"), key).rejects.toThrow(/Refused document storage key/);
      await expect(store().get(key), key).rejects.toThrow(/Refused document storage key/);
      await expect(store().delete(key), key).rejects.toThrow(/Refused document storage key/);
    }
  });
}

describe("S3 store (s3rver)", () => {
  const store = () => createDocumentStorage(s3Settings);
  behavesAsADocumentStore(store);

  it("is kind s3", () => {
    expect(store().kind).toBe("s3");
  });

  it("sends the content type, length and server-side encryption with the upload", async () => {
    const key = documentKey();
    const body = png();
    await createDocumentStorage({ ...s3Settings, serverSideEncryption: "AES256" }).put(key, body, "image/png");
    const upload = received.find((r) => r.method === "PUT" && r.path === `/${BUCKET}/${key}`);
    expect(upload?.headers).toMatchObject({
      "content-type": "image/png",
      "content-length": String(body.length),
      "x-amz-server-side-encryption": "AES256",
    });
    // Without the setting, no encryption header is sent (the bucket's default applies).
    const plainKey = documentKey();
    await store().put(plainKey, body, "application/pdf");
    const plain = received.find((r) => r.method === "PUT" && r.path === `/${BUCKET}/${plainKey}`);
    expect(plain?.headers).toMatchObject({ "content-type": "application/pdf" });
    expect(plain?.headers).not.toHaveProperty("x-amz-server-side-encryption");
  });

  it("keeps objects under the key prefix", async () => {
    const prefixed = createDocumentStorage({ ...s3Settings, keyPrefix: "holovitals/test" });
    const key = documentKey();
    const body = png();
    await prefixed.put(key, body, "image/png");
    expect((await prefixed.get(key)).equals(body)).toBe(true);

    const raw = new S3Client({ region: s3Settings.region, endpoint: s3Settings.endpoint, forcePathStyle: true, credentials: s3Settings.credentials });
    try {
      const listed = await raw.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: key.split("/").slice(0, 2).join("/") }));
      expect(listed.KeyCount ?? 0).toBe(0);
      const underPrefix = await raw.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: "holovitals/test/" }));
      expect(underPrefix.Contents?.map((o) => [o.Key, o.Size])).toEqual([[`holovitals/test/${key}`, body.length]]);
    } finally {
      raw.destroy();
    }
    // The unprefixed store does not see it.
    await expect(store().get(key)).rejects.toBeInstanceOf(StoredFileMissingError);
  });

  it("reports a missing bucket as an error, not as a missing file", async () => {
    const error = await createDocumentStorage({ ...s3Settings, bucket: "no-such-bucket" }).get(documentKey()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(StoredFileMissingError);
    expect(error).toMatchObject({ name: "NoSuchBucket" });
  });
});

describe("local store", () => {
  let root: string;
  beforeAll(() => {
    root = path.join(tempDir(), "store");
  });
  const store = () => createDocumentStorage({ kind: "local", directory: root });
  behavesAsADocumentStore(store);

  it("is kind local", () => {
    expect(store().kind).toBe("local");
  });

  it("writes nothing, inside or outside its folder, for a refused key", async () => {
    const fresh = path.join(tempDir(), "store");
    const refusing = createDocumentStorage({ kind: "local", directory: fresh });
    for (const key of REFUSED_KEYS) await expect(refusing.put(key, png(), "image/png")).rejects.toThrow();
    // Not even the store's own folder was made.
    expect(readdirSync(path.dirname(fresh))).toEqual([]);
  });

  it("keeps files readable by the app's user only (0600 files, 0700 folders)", async () => {
    const key = documentKey();
    await store().put(key, png(), "image/png");
    expect(statSync(path.join(root, key)).mode & 0o777).toBe(0o600);
    const segments = key.split("/");
    for (let depth = 0; depth < segments.length; depth++) {
      expect(statSync(path.join(root, ...segments.slice(0, depth))).mode & 0o777, segments.slice(0, depth).join("/")).toBe(0o700);
    }
  });

  it("leaves no file behind when a write fails", async () => {
    // A folder where the file should go makes the final rename fail after the bytes were written,
    // whoever runs the test (root ignores permission bits).
    const key = documentKey();
    const target = path.join(root, key);
    mkdirSync(target, { recursive: true });
    writeFileSync(path.join(target, "occupant"), "x");
    await expect(store().put(key, png(), "image/png")).rejects.toThrow(/EISDIR|EEXIST|ENOTEMPTY|EPERM/);
    expect(readdirSync(path.dirname(target))).toEqual(["original"]);
    expect(readdirSync(target)).toEqual(["occupant"]);

    // Nor under a key whose folder cannot be made: nothing appears where the file would have gone.
    const blocked = `${key}/occupant/original`;
    await expect(store().put(blocked, png(), "image/png")).rejects.toThrow();
    expect(readdirSync(target)).toEqual(["occupant"]);
    await expect(store().get(blocked)).rejects.toBeInstanceOf(StoredFileMissingError);
  });
});

describe("storageSettingsFromEnv", () => {
  // Next.js types process.env with a required NODE_ENV; these are plain variable sets.
  it("defaults to the local folder .data/documents under the working directory", () => {
    expect(storageSettingsFromEnv({})).toEqual({ kind: "local", directory: path.join(process.cwd(), ".data/documents") });
  });

  it("reads DOCUMENT_STORAGE_DIR, relative to the working directory", () => {
    expect(storageSettingsFromEnv({ DOCUMENT_STORAGE_DIR: "/srv/holovitals/documents" })).toEqual({ kind: "local", directory: "/srv/holovitals/documents" });
    expect(storageSettingsFromEnv({ DOCUMENT_STORAGE_DIR: "files" })).toEqual({ kind: "local", directory: path.join(process.cwd(), "files") });
  });

  it("chooses S3 when S3_BUCKET is set, with defaults for the rest", () => {
    expect(storageSettingsFromEnv({ S3_BUCKET: "hv-documents", DOCUMENT_STORAGE_DIR: "ignored" })).toEqual({
      kind: "s3",
      bucket: "hv-documents",
      region: "us-east-1",
      endpoint: undefined,
      credentials: undefined,
      forcePathStyle: false,
      keyPrefix: "",
      serverSideEncryption: undefined,
    });
  });

  it("reads every S3 variable", () => {
    expect(
      storageSettingsFromEnv({
        S3_BUCKET: "hv-documents",
        S3_REGION: "eu-central-1",
        S3_ENDPOINT: "http://localhost:9000",
        S3_ACCESS_KEY_ID: "minio",
        S3_SECRET_ACCESS_KEY: "minio-secret",
        S3_FORCE_PATH_STYLE: "true",
        S3_KEY_PREFIX: "/holovitals/",
        S3_SERVER_SIDE_ENCRYPTION: "aws:kms",
      }),
    ).toEqual({
      kind: "s3",
      bucket: "hv-documents",
      region: "eu-central-1",
      endpoint: "http://localhost:9000",
      credentials: { accessKeyId: "minio", secretAccessKey: "minio-secret" },
      forcePathStyle: true,
      keyPrefix: "holovitals",
      serverSideEncryption: "aws:kms",
    });
    expect(storageSettingsFromEnv({ S3_BUCKET: "b", S3_FORCE_PATH_STYLE: "1" })).toMatchObject({ forcePathStyle: true });
    expect(storageSettingsFromEnv({ S3_BUCKET: "b", S3_FORCE_PATH_STYLE: "0" })).toMatchObject({ forcePathStyle: false });
  });

  it("treats empty values as unset", () => {
    expect(storageSettingsFromEnv({ S3_BUCKET: "", S3_ENDPOINT: "", DOCUMENT_STORAGE_DIR: "" })).toMatchObject({ kind: "local" });
  });

  it("refuses S3 variables without S3_BUCKET, naming the variable", () => {
    for (const name of ["S3_REGION", "S3_ENDPOINT", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY", "S3_FORCE_PATH_STYLE", "S3_KEY_PREFIX", "S3_SERVER_SIDE_ENCRYPTION"]) {
      expect(() => storageSettingsFromEnv({ [name]: "x" }), name).toThrow(new RegExp(`^${name} is set but S3_BUCKET is not`));
    }
  });

  it("refuses half the credentials, naming the missing one", () => {
    expect(() => storageSettingsFromEnv({ S3_BUCKET: "b", S3_ACCESS_KEY_ID: "id" })).toThrow(/^S3_SECRET_ACCESS_KEY is missing/);
    expect(() => storageSettingsFromEnv({ S3_BUCKET: "b", S3_SECRET_ACCESS_KEY: "secret" })).toThrow(/^S3_ACCESS_KEY_ID is missing/);
  });

  it("refuses values it cannot use, naming the variable", () => {
    expect(() => storageSettingsFromEnv({ S3_BUCKET: "b", S3_ENDPOINT: "localhost:9000" })).toThrow(/^S3_ENDPOINT must be a URL/);
    expect(() => storageSettingsFromEnv({ S3_BUCKET: "b", S3_FORCE_PATH_STYLE: "yes" })).toThrow(/^S3_FORCE_PATH_STYLE must be/);
    expect(() => storageSettingsFromEnv({ S3_BUCKET: "b", S3_SERVER_SIDE_ENCRYPTION: "aes256" })).toThrow(/^S3_SERVER_SIDE_ENCRYPTION must be one of AES256/);
  });
});

describe("documentStorage", () => {
  it("is one store per process, of the kind the environment asks for", () => {
    expect(documentStorage()).toBe(documentStorage());
    expect(documentStorage().kind).toBe(storageSettingsFromEnv().kind);
  });
});

describe("documentSettingsProblems and readiness", () => {
  it("names every documents setting it cannot use, and none when all are usable", () => {
    expect(documentSettingsProblems({})).toEqual([]);
    expect(documentSettingsProblems({ S3_BUCKET: "b", S3_REGION: "eu-west-1", DOCUMENT_MAX_UPLOAD_MB: "50", OCR_ENGINE: "tesseract-js" })).toEqual([]);
    expect(documentSettingsProblems({ S3_REGION: "eu-west-1", DOCUMENT_MAX_UPLOAD_MB: "twenty", OCR_ENGINE: "abbyy" })).toEqual([
      "S3_REGION is set but S3_BUCKET is not: set S3_BUCKET to keep documents in S3, or unset S3_REGION to keep them in a local folder",
      'DOCUMENT_MAX_UPLOAD_MB must be a number of megabytes above 0, not "twenty"',
      'OCR_ENGINE must be tesseract or tesseract-js, not "abbyy"',
    ]);
    expect(documentSettingsProblems({ DOCUMENT_MAX_UPLOAD_MB: "0" })).toHaveLength(1);
  });

  it("makes the server not ready, with the reason, until a bad setting is fixed", async () => {
    const saved = process.env.S3_ACCESS_KEY_ID;
    process.env.S3_ACCESS_KEY_ID = "AKIA-test";
    try {
      expect(await checkReadiness()).toEqual({
        status: "not_ready",
        database: "ok",
        pendingMigrations: [],
        problem: "invalid settings: S3_ACCESS_KEY_ID is set but S3_BUCKET is not: set S3_BUCKET to keep documents in S3, or unset S3_ACCESS_KEY_ID to keep them in a local folder",
      });
    } finally {
      if (saved === undefined) delete process.env.S3_ACCESS_KEY_ID;
      else process.env.S3_ACCESS_KEY_ID = saved;
    }
    expect(await checkReadiness()).toMatchObject({ status: "ready" });
  });
});

describe("directUploadOrigin", () => {
  // The Content-Security-Policy lets browsers reach this origin: it must be where the SDK's URLs point.
  it.each<Record<string, string>>([
    { S3_BUCKET: "hv-docs", S3_REGION: "eu-west-1" },
    { S3_BUCKET: "hv-docs", S3_REGION: "eu-west-1", S3_FORCE_PATH_STYLE: "true" },
    { S3_BUCKET: "hv-docs", S3_REGION: "auto", S3_ENDPOINT: "https://account.r2.cloudflarestorage.com" },
    { S3_BUCKET: "hv-docs", S3_ENDPOINT: "http://localhost:9000", S3_FORCE_PATH_STYLE: "1" },
  ])("is the origin of the presigned upload URLs for %o", async (env) => {
    const settings = storageSettingsFromEnv({ ...env, S3_ACCESS_KEY_ID: "a", S3_SECRET_ACCESS_KEY: "b" });
    const target = await createDocumentStorage(settings).uploadUrl("incoming/p/u", { contentType: "application/octet-stream", sizeBytes: 10, expiresInSeconds: 60 });
    expect(new URL(target!.url).origin).toBe(directUploadOrigin(env));
  });

  it("is null with a local folder, whose uploads come through the app", async () => {
    expect(directUploadOrigin({})).toBeNull();
    await expect(createDocumentStorage({ kind: "local", directory: tempDir() }).uploadUrl("incoming/p/u", { contentType: "x", sizeBytes: 1, expiresInSeconds: 1 })).resolves.toBeNull();
  });
});
