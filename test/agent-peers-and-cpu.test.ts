import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { useFreshDatabase } from "./helpers/db";
import { api, V1 } from "./helpers/api";
import { signedInUser } from "./helpers/users";
import { GPU_FIXTURES } from "./helpers/fake-gpu-node";

let teardown: () => Promise<void>;
let eng: Awaited<ReturnType<typeof signedInUser>>;

before(async () => {
  ({ teardown } = await useFreshDatabase());
  eng = await signedInUser("customer_admin", "Peers Co");
});
after(() => teardown());

async function newJob(body: Record<string, unknown>) {
  const res = await api.post(`${V1}/jobs`, { token: eng.token, body: { name: `peers ${Math.random()}`, ...body } });
  assert.equal(res.status, 201, res.text);
  return res.body as { id: string; token: string };
}
const register = async (token: string, machine: string, endpoint?: { host: string; port: number }) => {
  const res = await api.post(`${V1}/jobs/current/tasks`, {
    token,
    body: {
      machine_uuid: machine,
      hostname: "rack1",
      gpu_model: "NVIDIA H200",
      gpu_count: 1,
      ...(endpoint ? { agent_endpoint: endpoint } : {}),
    },
  });
  assert.equal(res.status, 201, res.text);
  return res.body.id as string;
};
const peers = (token: string, taskId: string, query = "") =>
  api.get(`${V1}/jobs/current/tasks/${taskId}/peers${query}`, { token });
const heartbeat = (token: string, taskId: string, step: number) =>
  api.post(`${V1}/jobs/current/tasks/${taskId}/heartbeat`, { token, body: { progress: { step, steps: 2 } } });

describe("GET /jobs/current/tasks/{task_id}/peers", () => {
  test("ready once every node joined and reached the step; addresses, unique labels, done after upload", async () => {
    const job = await newJob({ benchmarks: ["quick_mark", "cluster_network"], node_count: 2 });
    const a = await register(job.token, "node-a", { host: "10.0.0.1", port: 4100 });
    let answer = await peers(job.token, a);
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.body.ready, false, "the second node has not joined");
    const b = await register(job.token, "node-b", { host: "10.0.0.2", port: 4200 });
    await heartbeat(job.token, a, 2);
    answer = await peers(job.token, a);
    assert.equal(answer.body.ready, false, "node-b is still on quick_mark");
    await heartbeat(job.token, b, 2);
    answer = await peers(job.token, a);
    assert.equal(answer.body.ready, true);
    assert.deepEqual(
      answer.body.peers.map((p: { host: string; port: number; label: string; done: boolean }) => [
        p.host,
        p.port,
        p.label,
        p.done,
      ]),
      [["10.0.0.2", 4200, "rack1/node-b", false]],
    );
    assert.equal(answer.body.self.label, "rack1/node-a", "two nodes on one host keep distinct labels");
    const up = await api.post(`${V1}/jobs/current/tasks/${b}/results`, {
      token: job.token,
      body: { benchmark_id: "cluster_network", state: "completed", results: {} },
    });
    assert.equal(up.status, 201, up.text);
    assert.equal((await peers(job.token, a)).body.peers[0].done, true);
  });

  test("bad input is a 400 naming it; another job's task is a 404", async () => {
    const job = await newJob({ benchmarks: ["quick_mark"], node_count: 1 });
    const t = await register(job.token, "solo");
    const notInJob = await peers(job.token, t);
    assert.equal(notInJob.status, 400);
    assert.match(notInJob.body.error.message, /cluster_network/);
    const unknown = await peers(job.token, t, "?benchmark_id=quick_mark&bogus=1");
    assert.equal(unknown.status, 400);
    assert.match(JSON.stringify(unknown.body.error), /bogus/);
    const other = await newJob({ benchmarks: ["quick_mark", "cluster_network"], node_count: 2 });
    assert.equal((await peers(other.token, t)).status, 404);
    const badEndpoint = await api.post(`${V1}/jobs/current/tasks`, {
      token: other.token,
      body: {
        machine_uuid: "x",
        gpu_model: "NVIDIA H200",
        gpu_count: 1,
        agent_endpoint: { host: "not-an-ip", port: 0 },
      },
    });
    assert.equal(badEndpoint.status, 400);
  });
});

test("a --device cpu quick_mark result is stored but never scored", async () => {
  const job = await newJob({ benchmarks: ["quick_mark"], node_count: 1 });
  const t = await register(job.token, "cpu-node");
  const recorded = JSON.parse(fs.readFileSync(path.join(GPU_FIXTURES, "h200-quick_mark.json"), "utf8")).results;
  // Figures far below an H200's: scored, they would make the node underperforming.
  const slow = {
    ...recorded,
    device: "cpu",
    test_results: recorded.test_results.map((r: Record<string, number>) => ({
      ...r,
      bf16_tflops: 0.2,
      fp16_tflops: 0.2,
      memory_bandwidth_gbs: 10,
    })),
  };
  const up = await api.post(`${V1}/jobs/current/tasks/${t}/results`, {
    token: job.token,
    body: { benchmark_id: "quick_mark", state: "completed", results: slow },
  });
  assert.equal(up.status, 201, up.text);
  await api.post(`${V1}/jobs/current/tasks/${t}/finish`, { token: job.token, body: { state: "completed" } });
  const perf = await api.get(`${V1}/jobs/${job.id}/performance`, { token: eng.token });
  assert.equal(perf.status, 200, perf.text);
  assert.equal(perf.body.status, "unknown");
  const stored = await api.get(`${V1}/jobs/${job.id}`, { token: eng.token });
  assert.equal(stored.body.tasks[0].benchmark_results.quick_mark.results.device, "cpu");
});
