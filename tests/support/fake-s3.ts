// A fake S3 on loopback (s3rver): the remote end of the S3 boundary, for the
// document store's and direct uploads' tests. It checks request signatures
// made with the credentials below, like S3 does.
import { mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";

// s3rver ships no types; only what the tests use.
type S3rver = { run(): Promise<AddressInfo>; close(): Promise<void>; httpServer: Server };
type S3rverOptions = { address: string; port: number; directory: string; silent: boolean; configureBuckets: { name: string }[] };
const S3rver = createRequire(import.meta.url)("s3rver") as new (options: S3rverOptions) => S3rver;

export const FAKE_S3_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

export async function startFakeS3(bucket: string) {
  const directory = mkdtempSync(path.join(os.tmpdir(), "hv-fake-s3-"));
  const server = new S3rver({ address: "127.0.0.1", port: 0, directory, silent: true, configureBuckets: [{ name: bucket }] });
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    httpServer: server.httpServer,
    async stop() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
