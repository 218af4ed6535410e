// Where uploaded documents' bytes are kept: a local folder by default, S3 or any S3-compatible store
// when S3_BUCKET is set (see settings.ts for the variables).
import { LocalDocumentStorage } from "./local";
import { S3DocumentStorage } from "./s3";
import { storageSettingsFromEnv, type DocumentStorageSettings } from "./settings";
import type { DocumentStorage } from "./storage";

export { storageSettingsFromEnv, type DocumentStorageSettings, type LocalStorageSettings, type S3StorageSettings } from "./settings";
export { StoredFileMissingError, type DocumentStorage } from "./storage";

/** For tests and tools: a store from explicit settings. */
export function createDocumentStorage(settings: DocumentStorageSettings): DocumentStorage {
  return settings.kind === "s3" ? new S3DocumentStorage(settings) : new LocalDocumentStorage(settings.directory);
}

// One store, and so one S3 client and connection pool, per process; made on first use.
let configured: DocumentStorage | undefined;

/** The store configured by env, created once per process. */
export function documentStorage(): DocumentStorage {
  configured ??= createDocumentStorage(storageSettingsFromEnv());
  return configured;
}
