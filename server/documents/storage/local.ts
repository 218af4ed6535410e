// Documents in a folder on this machine: the default, for development and single-server installs.
import { randomUUID } from "node:crypto";
import { mkdir, open, readFile, rename, rm, unlink } from "node:fs/promises";
import path from "node:path";
import { keySegments, StoredFileMissingError, type DocumentStorage } from "./storage";

// Health data: only the app's own user may read it.
const FILE_MODE = 0o600;
const FOLDER_MODE = 0o700;

export class LocalDocumentStorage implements DocumentStorage {
  readonly kind = "local";
  private readonly root: string;

  constructor(directory: string) {
    this.root = path.resolve(directory);
  }

  /** The browser cannot reach this machine's folder: uploads come through the app. */
  async uploadUrl() {
    return null;
  }

  async put(key: string, body: Buffer): Promise<void> {
    const target = this.pathOf(key);
    const folder = path.dirname(target);
    await mkdir(folder, { recursive: true, mode: FOLDER_MODE });
    // Written beside the target, then renamed over it: a reader never sees a partial file and a failed
    // write leaves the key as it was. The leading "." keeps the name out of the key space.
    const temp = path.join(folder, `.${path.basename(target)}.${randomUUID()}.tmp`);
    try {
      const file = await open(temp, "wx", FILE_MODE);
      try {
        await file.writeFile(body);
        // Flushed before the rename, or a crash could leave the renamed file empty.
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  async get(key: string): Promise<Buffer> {
    try {
      return await readFile(this.pathOf(key));
    } catch (error) {
      if (isMissing(error)) throw new StoredFileMissingError(key, { cause: error });
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await unlink(this.pathOf(key));
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }

  private pathOf(key: string): string {
    return path.join(this.root, ...keySegments(key));
  }
}

/** ENOTDIR: a folder on the way is a file, so nothing can be stored there either. */
function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "ENOENT" || code === "ENOTDIR";
}
