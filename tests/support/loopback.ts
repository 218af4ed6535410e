// The test servers (and the local EHR sandbox) listen on this machine only.
import type { Server } from "node:http";

/** Listens on 127.0.0.1; a port already taken is an error (with a fixed port), not a hang. */
export function listenOnLoopback(server: Server, port: number) {
  return new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
}
