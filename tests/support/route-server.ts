// One of our route handlers (a Next `POST`/`GET` export) served on loopback,
// for a remote end under test (the Stripe stand-in) to call over real HTTP.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { listenOnLoopback } from "./loopback";

export async function serveRoute(handler: (request: Request) => Promise<Response>, path: string) {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
    const request = new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined });
    const response = await handler(request);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await listenOnLoopback(server, 0);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
