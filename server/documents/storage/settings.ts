// Which store keeps uploaded documents, read from the environment: S3 (or any S3-compatible store)
// when S3_BUCKET is set, otherwise a local folder.
import path from "node:path";
import { ServerSideEncryption } from "@aws-sdk/client-s3";

export type LocalStorageSettings = {
  kind: "local";
  /** Absolute path of the folder the files are kept in. */
  directory: string;
};

export type S3StorageSettings = {
  kind: "s3";
  bucket: string;
  region: string;
  /** For S3-compatible stores (MinIO, R2, ...); unset means AWS. */
  endpoint?: string;
  /** Unset: the SDK's default credential chain (AWS_* env, profile, instance or task role). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  forcePathStyle: boolean;
  /** Folder every key is kept under, without leading or trailing "/"; "" for none. */
  keyPrefix: string;
  serverSideEncryption?: ServerSideEncryption;
};

export type DocumentStorageSettings = LocalStorageSettings | S3StorageSettings;

// Meaningful only with S3_BUCKET; set without it, they would silently be ignored.
const S3_ONLY = ["S3_REGION", "S3_ENDPOINT", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY", "S3_FORCE_PATH_STYLE", "S3_KEY_PREFIX", "S3_SERVER_SIDE_ENCRYPTION"];

export function storageSettingsFromEnv(env: Record<string, string | undefined> = process.env): DocumentStorageSettings {
  // An empty value (`S3_BUCKET=` in a .env file) counts as unset.
  const read = (name: string) => env[name]?.trim() || undefined;

  const bucket = read("S3_BUCKET");
  if (!bucket) {
    const stray = S3_ONLY.find(read);
    if (stray) {
      throw new Error(`${stray} is set but S3_BUCKET is not: set S3_BUCKET to keep documents in S3, or unset ${stray} to keep them in a local folder`);
    }
    // A folder chosen at run time: not to be traced into serverless bundles (which use S3).
    return { kind: "local", directory: path.resolve(/*turbopackIgnore: true*/ read("DOCUMENT_STORAGE_DIR") ?? ".data/documents") };
  }

  const endpoint = read("S3_ENDPOINT");
  if (endpoint && !(/^https?:\/\//i.test(endpoint) && URL.canParse(endpoint))) throw new Error(`S3_ENDPOINT must be a URL such as http://localhost:9000, not ${JSON.stringify(endpoint)}`);

  const accessKeyId = read("S3_ACCESS_KEY_ID");
  const secretAccessKey = read("S3_SECRET_ACCESS_KEY");
  if (!accessKeyId !== !secretAccessKey) {
    throw new Error(`${accessKeyId ? "S3_SECRET_ACCESS_KEY" : "S3_ACCESS_KEY_ID"} is missing: set both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or neither to use the AWS default credentials`);
  }

  const pathStyle = read("S3_FORCE_PATH_STYLE")?.toLowerCase() ?? "false";
  if (!["true", "1", "false", "0"].includes(pathStyle)) throw new Error(`S3_FORCE_PATH_STYLE must be true, 1, false or 0, not ${JSON.stringify(pathStyle)}`);

  const encryption = read("S3_SERVER_SIDE_ENCRYPTION");
  const encryptions: string[] = Object.values(ServerSideEncryption);
  if (encryption && !encryptions.includes(encryption)) {
    throw new Error(`S3_SERVER_SIDE_ENCRYPTION must be one of ${encryptions.join(", ")}, not ${JSON.stringify(encryption)}`);
  }

  return {
    kind: "s3",
    bucket,
    region: read("S3_REGION") ?? "us-east-1",
    endpoint,
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
    forcePathStyle: pathStyle === "true" || pathStyle === "1",
    keyPrefix: read("S3_KEY_PREFIX")?.replace(/^\/+|\/+$/g, "") ?? "",
    serverSideEncryption: encryption as ServerSideEncryption | undefined,
  };
}
