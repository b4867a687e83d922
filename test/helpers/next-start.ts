import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

/** A port nothing listens on now (the OS picks it). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

function newestMtime(p: string): number {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const e of fs.readdirSync(p, { withFileTypes: true })) {
    if (e.name === "generated" || e.name === "node_modules") continue;
    newest = Math.max(newest, newestMtime(path.join(p, e.name)));
  }
  return newest;
}

/** What `next build` compiles: a build older than any of these serves old code. */
const BUILD_INPUTS = [
  "app",
  "components",
  "lib",
  "public",
  "instrumentation.ts",
  "proxy.ts",
  "package.json",
  "next.config.mjs",
];

/** Why the production build cannot be served as the current code, or null when it can. */
export function productionBuildProblem(): string | null {
  if (!fs.existsSync(".next/BUILD_ID")) return "no production build: run `npm run build` first";
  const built = fs.statSync(".next/BUILD_ID").mtimeMs;
  if (Math.max(...BUILD_INPUTS.map(newestMtime)) > built)
    return "the production build is older than the sources: run `npm run build` again";
  return null;
}

export interface NextInstance {
  url: string;
  /** Everything the server wrote to stdout, line by line (JSON logs). */
  lines: string[];
  stop: () => Promise<void>;
}

/**
 * `next start` of the production build on 127.0.0.1:port in its own process group, with
 * `env` added to this process's environment (the test runner's marker removed, so the
 * server logs as in production). Resolves once the server answers its liveness probe.
 */
export async function startNextInstance(port: number, env: Record<string, string>): Promise<NextInstance> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, PORT: String(port) };
  delete childEnv.NODE_TEST_CONTEXT;
  const child: ChildProcess = spawn(
    process.execPath,
    ["node_modules/next/dist/bin/next", "start", "-p", String(port), "-H", "127.0.0.1"],
    { env: childEnv, stdio: ["ignore", "pipe", "pipe"], detached: true },
  );
  const lines: string[] = [];
  let stderr = "";
  let partial = "";
  child.stdout!.on("data", (d: Buffer) => {
    const parts = (partial + d.toString()).split("\n");
    partial = parts.pop()!;
    lines.push(...parts);
  });
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    process.kill(-child.pid!, "SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, "SIGKILL");
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start on ${port} exited with ${child.exitCode}: ${stderr}`);
    try {
      if ((await fetch(`${url}/api/health/live`)).ok) return { url, lines, stop };
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`next start on ${port} did not answer within 60 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
