import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { useFreshDatabase } from "./helpers/db";
import { waitFor } from "./helpers/wait";
import { api, inProcessFetch, V1 } from "./helpers/api";
import { signedInUser, type SignedInUser } from "./helpers/users";
import { AgentClient } from "../agent/client";
import { commandProducer } from "../agent/producers";
import { registerNode, runRegisteredNode } from "../agent/run-node";
import { getDb } from "../lib/db/client";

// A benchmark program must not outlive its purpose: when the job is cancelled while it runs,
// or the agent is stopped (Ctrl-C, systemd, a Slurm epilog), the agent stops the program and
// everything it started, instead of leaving it on the GPUs.

let teardown: () => Promise<void>;
let eng: SignedInUser;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "agent-stop-"));

before(async () => {
  ({ teardown } = await useFreshDatabase());
  eng = await signedInUser("customer_admin", "Stop Co");
});
after(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  await teardown();
});

/** A "benchmark" that records its shell's and its child's pids, then runs for a minute. */
function longBenchmark(name: string) {
  const pids = path.join(dir, `${name}.pids`);
  const script = path.join(dir, `${name}.sh`);
  fs.writeFileSync(script, `#!/bin/sh\necho $$ > ${pids}\nsleep 60 &\necho $! >> ${pids}\nwait\n`, { mode: 0o755 });
  return { command: script, pids };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function startedNode(name: string) {
  const created = await api.post(`${V1}/jobs`, { token: eng.token, body: { name, benchmarks: ["quick_mark"] } });
  assert.equal(created.status, 201, created.text);
  const client = new AgentClient({ baseUrl: "http://localhost", token: created.body.token, fetch: inProcessFetch });
  // The job's heartbeat interval is what the server answers (15 s); a second keeps the test short.
  const job = { ...(await client.currentJob()), heartbeat_interval_seconds: 1 };
  const node = { machine_uuid: `${name}-node`, gpu_model: "NVIDIA H200", gpu_count: 8 };
  const task = await registerNode(client, node);
  return { jobId: created.body.id as string, client, job, node, taskId: task.id };
}

const pidsOf = (file: string) =>
  fs.existsSync(file) && fs.readFileSync(file, "utf8").trim().split("\n").length === 2
    ? fs.readFileSync(file, "utf8").trim().split("\n").map(Number)
    : undefined;

test("a job cancelled while its benchmark runs: the program and its children are stopped, the node stops", async () => {
  const n = await startedNode("cancelled");
  const bench = longBenchmark("cancelled");
  const started = Date.now();
  const run = runRegisteredNode(n.client, n.job, n.node, n.taskId, commandProducer(bench.command));
  const pids = await waitFor(() => pidsOf(bench.pids), 10_000, "the benchmark to start");
  assert.ok(pids.every(alive));
  const cancelled = await api.post(`${V1}/jobs/${n.jobId}/cancel`, { token: eng.token });
  assert.equal(cancelled.status, 200, cancelled.text);
  const out = await run;
  assert.deepEqual(out, { state: "stopped", jobState: cancelled.body.state });
  assert.ok(Date.now() - started < 20_000, "stopped within a few heartbeats, not after the 60-s run");
  await waitFor(() => pids.every((p) => !alive(p)), 10_000, "the program and its child to exit");
  // Nothing was uploaded for the stopped run.
  const results = await (await getDb()).benchmarkResult.count({ where: { taskId: BigInt(n.taskId) } });
  assert.equal(results, 0);
});

test("the agent stopped while a benchmark runs: the program is stopped and the node fails at once with the reason", async () => {
  const n = await startedNode("agent-stopped");
  const bench = longBenchmark("agent-stopped");
  const stop = new AbortController();
  const run = runRegisteredNode(
    n.client,
    n.job,
    n.node,
    n.taskId,
    commandProducer(bench.command),
    undefined,
    stop.signal,
  );
  const pids = await waitFor(() => pidsOf(bench.pids), 10_000, "the benchmark to start");
  stop.abort();
  const out = await run;
  assert.equal(out.state, "failed");
  await waitFor(() => pids.every((p) => !alive(p)), 10_000, "the program and its child to exit");
  const task = await (await getDb()).task.findUniqueOrThrow({ where: { id: BigInt(n.taskId) } });
  assert.equal(task.state, "failed");
  assert.match(task.failedMessage ?? "", /agent was stopped during quick_mark/);
  const job = await api.get(`${V1}/jobs/${n.jobId}`, { token: eng.token });
  assert.equal(job.body.state, "failed", "a one-node job does not wait for the stopped node");
});
