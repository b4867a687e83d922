// Results as their own resource (/results/{id}, /results/{id}/job) and compact results.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { useFreshDatabase } from "./helpers/db";
import { api, V1 } from "./helpers/api";
import { signedInUser, type SignedInUser } from "./helpers/users";
import { runSimulatedJob } from "./helpers/simulated-job";

let teardown: () => Promise<void>;
let eng: SignedInUser;
let job: any;

before(async () => {
  ({ teardown } = await useFreshDatabase());
  eng = await signedInUser("user", "Results Co");
  job = await runSimulatedJob(
    eng.token,
    { name: "results-run", node_count: 2, benchmarks: ["quick_mark", "cluster_network"] },
    { gpuModel: "NVIDIA H100 NVL", seed: 4 },
  );
});
after(() => teardown());

test("a node result by id: the stored result with its job and task", async () => {
  const t = job.tasks[1];
  const stored = t.benchmark_results.quick_mark;
  const res = await api.get(`${V1}/results/${stored.id}`, { token: eng.token });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.body, { ...stored, job_id: job.id, task_id: t.id });
  assert.equal(res.body.results.test_results.length, 8);
  const named = await api.get(`${V1}/results/${stored.id}?include_display_names=true`, { token: eng.token });
  assert.equal(named.body.display_names.memory_bandwidth_gbs, "Memory Bandwidth (GB/s)");
});

test("compact leaves out per-GPU and per-link detail, keeps the figures", async () => {
  const qm = job.tasks[0].benchmark_results.quick_mark;
  const compact = await api.get(`${V1}/results/${qm.id}?compact=true`, { token: eng.token });
  assert.equal(compact.status, 200);
  assert.equal(compact.body.results.test_results, undefined);
  assert.deepEqual(compact.body.results.aggregate_results, qm.results.aggregate_results);
  const cn = job.benchmark_results.cluster_network;
  const jobLevel = await api.get(`${V1}/results/${cn.id}?compact=1`, { token: eng.token });
  assert.equal(jobLevel.body.task_id, null);
  assert.equal(jobLevel.body.results.measurements, undefined);
  assert.equal(jobLevel.body.results.avg_bandwidth_gbps, cn.results.avg_bandwidth_gbps);
  const all = await api.get(`${V1}/jobs/${job.id}/results?compact=true`, { token: eng.token });
  assert.equal(all.body.cluster_network.results.measurements, undefined);
  assert.equal(all.body.cluster_network.results.total_links_tested, 2);
  const full = await api.get(`${V1}/jobs/${job.id}/results`, { token: eng.token });
  assert.equal(full.body.cluster_network.results.measurements.length, 2);
});

test("the job of a result is the job detail", async () => {
  const id = job.tasks[0].benchmark_results.cluster_network.id;
  const res = await api.get(`${V1}/results/${id}/job`, { token: eng.token });
  assert.equal(res.status, 200);
  const detail = await api.get(`${V1}/jobs/${job.id}`, { token: eng.token });
  assert.deepEqual(res.body, detail.body);
});

test("unknown, malformed and foreign result ids", async () => {
  assert.equal((await api.get(`${V1}/results/1`, { token: eng.token })).status, 404);
  const bad = await api.get(`${V1}/results/abc`, { token: eng.token });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, "PARAMETER_INCORRECT_VALUE");
  assert.equal((await api.get(`${V1}/results/1?compact=maybe`, { token: eng.token })).status, 400);
  assert.equal((await api.get(`${V1}/results/1`)).status, 401);
  const colleague = await signedInUser("user", "Results Co");
  const id = job.benchmark_results.quick_mark.id;
  for (const path of [`/results/${id}`, `/results/${id}/job`]) {
    const res = await api.get(`${V1}${path}`, { token: colleague.token });
    assert.equal(res.status, 404, path);
    assert.equal(res.body.error.message, `Result with id ${id} not found`);
  }
});
