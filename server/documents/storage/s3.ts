// Documents in S3 or an S3-compatible store (MinIO, R2, ...). Objects stay private: the app streams
// them through an authorised route, so no public or presigned read URLs are made. The one presigned URL
// is a short-lived PUT of one upload, of one size, to a key the app chose.
import { DeleteObjectCommand, GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import type { S3StorageSettings } from "./settings";
import { keySegments, StoredFileMissingError, type DocumentStorage } from "./storage";

export class S3DocumentStorage implements DocumentStorage {
  readonly kind = "s3";
  private readonly client: S3Client;
  private readonly presigner: S3Client;

  constructor(private readonly settings: S3StorageSettings) {
    // The SDK's default retries (3 attempts, backoff) cover every call; the client keeps no background work.
    const options = { region: settings.region, endpoint: settings.endpoint, forcePathStyle: settings.forcePathStyle, credentials: settings.credentials };
    this.client = new S3Client(options);
    // By default the SDK puts a checksum of the (still empty) body into a presigned PUT, and S3 then refuses the
    // real file as corrupt: URLs are signed without one (the signed size still guards what arrives).
    this.presigner = new S3Client({ ...options, requestChecksumCalculation: "WHEN_REQUIRED" });
  }

  async put(key: string, body: Buffer, contentType: string): Promise<void> {
    // A PutObject is all or nothing: a failed upload stores no object.
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.settings.bucket,
        Key: this.objectKey(key),
        Body: body,
        ContentType: contentType,
        ContentLength: body.length,
        ServerSideEncryption: this.settings.serverSideEncryption,
      }),
    );
  }

  async uploadUrl(key: string, upload: { contentType: string; sizeBytes: number; expiresInSeconds: number }) {
    const command = new PutObjectCommand({
      Bucket: this.settings.bucket,
      Key: this.objectKey(key),
      ContentType: upload.contentType,
      ContentLength: upload.sizeBytes,
      ServerSideEncryption: this.settings.serverSideEncryption,
    });
    // Content-Length is signed, so the store refuses a body of any other size: the limit checked when the URL
    // was made holds for what arrives.
    const url = await getSignedUrl(this.presigner, command, { expiresIn: upload.expiresInSeconds, signableHeaders: new Set(["content-type", "content-length"]) });
    return { url, headers: { "Content-Type": upload.contentType } };
  }

  async get(key: string): Promise<Buffer> {
    try {
      const { Body } = await this.client.send(new GetObjectCommand({ Bucket: this.settings.bucket, Key: this.objectKey(key) }));
      // A successful GetObject always has a Body.
      const bytes = await Body!.transformToByteArray();
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    } catch (error) {
      if (isMissingObject(error)) throw new StoredFileMissingError(key, { cause: error });
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.settings.bucket, Key: this.objectKey(key) }));
    } catch (error) {
      // AWS answers 204 for a missing key, but some S3-compatible stores answer 404.
      if (!isMissingObject(error)) throw error;
    }
  }

  private objectKey(key: string): string {
    keySegments(key);
    return this.settings.keyPrefix ? `${this.settings.keyPrefix}/${key}` : key;
  }
}

/** NoSuchKey, or a bare 404 from stores that send no error code. A missing bucket is a setup error, not a missing file. */
function isMissingObject(error: unknown): boolean {
  if (error instanceof NoSuchKey) return true;
  return error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404 && error.name !== "NoSuchBucket";
}
