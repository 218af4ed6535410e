// The app as the benchmarks reach it: built into its own folder, started with
// `next start` on the benchmark's database, signed into through Auth.js's
// credentials flow, and called over plain HTTP with kept-alive sockets.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { freePort } from "@/scripts/lib/embedded-postgres";
import { log, sleep } from "./support";

/** Where the benchmarks build the app: its own folder, so a running `npm run dev` is never touched. */
export const NEXT_DIST_DIR = path.join(".data", "bench-next");

function runToLog(args: string[], env: NodeJS.ProcessEnv, logFile: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(logFile);
    const child = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.pipe(out);
    child.stderr.pipe(out);
    child.on("error", reject);
    child.on("exit", (code) => {
      out.end();
      if (code === 0) resolve();
      else reject(new Error(`${args.join(" ")} exited with ${code}; see ${path.relative(process.cwd(), logFile)}:\n${readFileSync(logFile, "utf8").split("\n").slice(-30).join("\n")}`));
    });
  });
}

const NEXT_BIN = path.join("node_modules", "next", "dist", "bin", "next");

/**
 * `next build` adds its output folder's type globs to tsconfig.json. This build is the benchmark's own, so its
 * entries come out again, but only when nothing else in the file changed meanwhile (someone may be editing it).
 */
export async function buildNext(logFile: string) {
  const tsconfig = path.join(process.cwd(), "tsconfig.json");
  const before = readFileSync(tsconfig, "utf8");
  try {
    await runToLog([NEXT_BIN, "build"], { ...process.env, NEXT_DIST_DIR, NEXT_TELEMETRY_DISABLED: "1" }, logFile);
  } finally {
    const after = readFileSync(tsconfig, "utf8");
    const ours = (line: string) => line.includes(`"${NEXT_DIST_DIR}/`) && !before.includes(line);
    const shape = (text: string) => text.replace(/[\s,]/g, "");
    if (after !== before) {
      if (shape(after.split("\n").filter((line) => !ours(line)).join("\n")) === shape(before)) writeFileSync(tsconfig, before);
      else log(`tsconfig.json changed during the build: remove the ${NEXT_DIST_DIR} entries next build added to "include" by hand`);
    }
  }
}

function nextEnv(databaseUrl: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_DIST_DIR, NEXT_TELEMETRY_DISABLED: "1" };
  // No Inngest server: the app's embedded executor runs inside Next, as on a machine without one.
  for (const key of Object.keys(env)) if (key.startsWith("INNGEST_")) delete env[key];
  return { ...env, DATABASE_URL: databaseUrl, AUTH_SECRET: randomBytes(32).toString("base64url"), AUTH_TRUST_HOST: "true" };
}

export async function startNext(databaseUrl: string, logFile: string): Promise<{ baseUrl: string; child: ChildProcess; stop: () => Promise<void> }> {
  const port = await freePort();
  const out = createWriteStream(logFile);
  // Its own process group, so stopping it stops every process it started.
  const child = spawn(process.execPath, [NEXT_BIN, "start", "-p", String(port), "-H", "127.0.0.1"], { env: nextEnv(databaseUrl), stdio: ["ignore", "pipe", "pipe"], detached: true });
  child.stdout!.pipe(out);
  child.stderr!.pipe(out);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    process.kill(-child.pid!, "SIGTERM");
    const killed = await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)]);
    if (!killed) process.kill(-child.pid!, "SIGKILL");
    await exited;
  };
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  while (true) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}; see ${path.relative(process.cwd(), logFile)}`);
    const ready = await fetch(`${baseUrl}/api/ready`).then((r) => r.status === 200, () => false);
    if (ready) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`next start did not become ready in 120 s; see ${path.relative(process.cwd(), logFile)}`);
    }
    await sleep(250);
  }
  return { baseUrl, child, stop };
}


/** Auth.js's credentials flow as a browser does it: CSRF token, form POST, then the session cookie. */
export async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (response: Response) => {
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(";");
      const at = pair.indexOf("=");
      jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
  };
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const csrfResponse = await fetch(`${baseUrl}/api/auth/csrf`);
  keep(csrfResponse);
  const { csrfToken } = (await csrfResponse.json()) as { csrfToken: string };
  const response = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieHeader() },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `${baseUrl}/patient` }),
  });
  keep(response);
  await response.arrayBuffer();
  if (![...jar.keys()].some((name) => name.endsWith("authjs.session-token"))) {
    throw new Error(`sign-in of ${email} gave no session cookie (HTTP ${response.status}, location ${response.headers.get("location")})`);
  }
  return cookieHeader();
}


// node:http with kept-alive sockets rather than fetch: the client shares the machine's cores with the server, so it
// should cost as little as it can. No Accept-Encoding, so the answers come uncompressed, as to an API client.
// Enough sockets for the 20 concurrent users the benchmarks simulate.
export const agent = new http.Agent({ keepAlive: true, maxSockets: 20 });

export function httpGet(url: string, cookie: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent, headers: { cookie } }, (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (body += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
        response.on("error", reject);
      })
      .on("error", reject);
  });
}

export async function trpcQuery<T>(baseUrl: string, cookie: string, procedure: string, input: Record<string, unknown>): Promise<T> {
  const { status, body } = await httpGet(`${baseUrl}/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`, cookie);
  if (status !== 200) throw new Error(`${procedure} answered HTTP ${status}: ${body.slice(0, 300)}`);
  const data = (JSON.parse(body) as { result?: { data?: { json?: T } } }).result?.data?.json;
  if (!data) throw new Error(`${procedure} answered 200 without data: ${body.slice(0, 300)}`);
  return data;
}

