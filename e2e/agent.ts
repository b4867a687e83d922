import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, type APIRequestContext } from "@playwright/test";
import { API, apiToken } from "./helpers";

// Run from anywhere: the agent CLI lives at the repository root.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Runs the agent CLI with simulated nodes against the e2e server; resolves with its output once it exits 0. */
export function runSimulatedAgent(baseURL: string, token: string, opts: { nodes: number; seed: number; gpu?: string }) {
  const agent = spawn(
    path.join(ROOT, "node_modules/.bin/tsx"),
    [
      path.join(ROOT, "agent/cli.ts"),
      "--url",
      baseURL,
      "--token",
      token,
      "--simulate",
      "--nodes",
      String(opts.nodes),
      "--gpu",
      opts.gpu ?? "NVIDIA H100 80GB HBM3",
      "--seed",
      String(opts.seed),
    ],
    { cwd: ROOT, stdio: "pipe" },
  );
  let output = "";
  agent.stdout.on("data", (d) => (output += d));
  agent.stderr.on("data", (d) => (output += d));
  const done = new Promise<string>((resolve, reject) =>
    agent.on("exit", (code) => (code === 0 ? resolve(output) : reject(new Error(`agent exited ${code}:\n${output}`)))),
  );
  return { done, output: () => output };
}

/** Creates a job through the API as `email` and runs it to the end with simulated nodes. */
export async function runJobWithSimulatedNodes(
  request: APIRequestContext,
  baseURL: string,
  email: string,
  opts: { name: string; nodes: number; seed: number },
) {
  const token = await apiToken(request, email);
  const res = await request.post(`${API}/jobs`, {
    headers: { Authorization: `Bearer ${token}` },
    data: { name: opts.name, benchmarks: ["quick_mark", "cluster_network"], node_count: opts.nodes },
  });
  expect(res.status(), await res.text()).toBe(201);
  const job = await res.json();
  await runSimulatedAgent(baseURL, job.token, opts).done;
  return job as { id: string; token: string };
}
