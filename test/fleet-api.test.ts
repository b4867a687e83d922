// Fleet endpoints: machines seen in the caller's visible jobs, their history with key
// quick_mark figures against the reference, filters, and tenant isolation.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { useFreshDatabase } from "./helpers/db";
import { api, inProcessFetch, V1 } from "./helpers/api";
import { signInRoleMatrix, type SignedInUser } from "./helpers/users";
import { AgentClient } from "../agent/client";
import { simulateJob } from "../agent/simulate-job";

let teardown: () => Promise<void>;
let aEng: SignedInUser, aColleague: SignedInUser, aAdmin: SignedInUser, bAdmin: SignedInUser, staff: SignedInUser;
let h100Uuids: string[];
let degradedJobId: string;

async function runJob(token: string, gpuModel: string, nodes: number, seed: number, degraded = 0) {
  const res = await api.post(`${V1}/jobs`, {
    token,
    body: {
      name: `${gpuModel} x${nodes} s${seed} d${degraded}`,
      benchmarks: ["quick_mark", "cluster_network"],
      node_count: nodes,
    },
  });
  assert.equal(res.status, 201, res.text);
  const agent = new AgentClient({
    baseUrl: "http://localhost",
    token: res.body.token,
    fetch: inProcessFetch,
    backoffMs: 10,
  });
  const sim = await simulateJob(agent, { gpuModel, nodes, seed, degraded });
  return { id: res.body.id as string, uuids: sim.nodes.map((n) => n.machine_uuid) };
}

before(async () => {
  ({ teardown } = await useFreshDatabase());
  ({ a: aEng, aColleague, aAdmin, bAdmin, staff } = await signInRoleMatrix({ a: "Fleet A", b: "Fleet B" }));
  // The same two H100 machines run twice (the second time one is degraded); an L40S once.
  const first = await runJob(aEng.token, "NVIDIA H100 80GB HBM3", 2, 11);
  degradedJobId = (await runJob(aEng.token, "NVIDIA H100 80GB HBM3", 2, 11, 1)).id;
  await runJob(aEng.token, "NVIDIA L40S", 1, 12);
  h100Uuids = first.uuids;
  // Customer B runs the very same machine uuids: they are B's own inventory rows.
  await runJob(bAdmin.token, "NVIDIA H100 80GB HBM3", 2, 11);
});
after(() => teardown());

const machines = async (token: string, qs = "") => {
  const res = await api.get(`${V1}/machines${qs}`, { token });
  assert.equal(res.status, 200, res.text);
  return res.body;
};

test("lists the caller's machines with GPU, last job, last seen and status", async () => {
  const body = await machines(aEng.token);
  assert.equal(body.pagination.total, 3);
  assert.deepEqual(body.gpu_models, ["NVIDIA H100 80GB HBM3", "NVIDIA L40S"]);
  const h100 = body.results.filter((m: any) => m.gpu_model === "NVIDIA H100 80GB HBM3");
  assert.deepEqual(h100.map((m: any) => m.machine_uuid).sort(), [...h100Uuids].sort());
  for (const m of body.results) {
    assert.equal(m.customer, "Fleet A");
    assert.ok(m.gpu_count > 0);
    assert.ok(m.last_seen_at && m.first_seen_at);
    assert.equal(m.last_job.state, "completed");
    assert.ok(["ok", "underperforming"].includes(m.last_performance_status), m.last_performance_status);
  }
  assert.deepEqual(
    h100.map((m: any) => m.job_count),
    [2, 2],
  );
  // The degraded node of the second run is the last one simulated.
  const degraded = h100.find((m: any) => m.machine_uuid === h100Uuids[1]);
  assert.equal(degraded.last_performance_status, "underperforming");
});

test("filters by GPU model and status, paginates, rejects bad filters", async () => {
  assert.equal((await machines(aAdmin.token, "?gpu_model=NVIDIA%20L40S")).pagination.total, 1);
  const under = await machines(aAdmin.token, "?status=underperforming");
  assert.deepEqual(
    under.results.map((m: any) => m.machine_uuid),
    [h100Uuids[1]],
  );
  const page = await machines(aAdmin.token, "?per_page=2&page=2");
  assert.equal(page.results.length, 1);
  assert.equal(page.pagination.total, 3);
  assert.equal(page.pagination.has_prev, true);
  const past = await machines(aAdmin.token, "?per_page=2&page=9");
  assert.deepEqual([past.results.length, past.pagination.total], [0, 3]);
  for (const qs of ["?status=great", "?per_page=0", "?page=x"]) {
    const res = await api.get(`${V1}/machines${qs}`, { token: aAdmin.token });
    assert.equal(res.status, 400, qs);
    assert.equal(res.body.error.code, "PARAMETER_INCORRECT_VALUE");
  }
});

test("a machine's history: one point per run with key metrics and ratio to the reference", async () => {
  const list = await machines(aAdmin.token);
  const m = list.results.find((x: any) => x.machine_uuid === h100Uuids[1]);
  const res = await api.get(`${V1}/machines/${m.id}`, { token: aAdmin.token });
  assert.equal(res.status, 200, res.text);
  const d = res.body;
  assert.equal(d.machine_uuid, h100Uuids[1]);
  assert.equal(d.history.length, 2);
  assert.ok(d.history[0].date <= d.history[1].date, "oldest first");
  const [healthy, degraded] = d.history;
  for (const h of d.history) {
    assert.equal(h.job_state, "completed");
    assert.ok(h.metrics.bf16_tflops.value > 0);
    assert.ok(h.metrics.bf16_tflops.reference > 0);
    assert.ok(h.metrics.memory_bandwidth_gbs.ratio > 0);
  }
  assert.equal(healthy.performance_status, "ok");
  assert.equal(degraded.performance_status, "underperforming");
  assert.ok(
    degraded.performance_ratio < 0.9 && healthy.performance_ratio >= 0.9,
    `${degraded.performance_ratio} / ${healthy.performance_ratio}`,
  );
  assert.equal((await api.get(`${V1}/machines/${m.id}?limit=1`, { token: aAdmin.token })).body.history.length, 1);
});

test("tenant isolation: customer B neither lists nor opens A's machines", async () => {
  const a = await machines(aAdmin.token);
  const b = await machines(bAdmin.token);
  assert.equal(b.pagination.total, 2);
  assert.ok(b.results.every((m: any) => m.customer === "Fleet B"));
  const bIds = new Set(b.results.map((m: any) => m.id));
  for (const m of a.results) {
    assert.ok(!bIds.has(m.id));
    const res = await api.get(`${V1}/machines/${m.id}`, { token: bAdmin.token });
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, "RESOURCE_NOT_FOUND");
  }
  // B's history of the shared uuid holds only B's job.
  const bm = b.results[0];
  const bd = (await api.get(`${V1}/machines/${bm.id}`, { token: bAdmin.token })).body;
  assert.equal(bd.history.length, 1);
  // A plain user sees only machines that ran their own jobs; staff sees every customer's.
  assert.equal((await machines(aColleague.token)).pagination.total, 0);
  assert.equal((await api.get(`${V1}/machines/${a.results[0].id}`, { token: aColleague.token })).status, 404);
  assert.equal((await machines(staff.token)).pagination.total, 5);
});

test("bad ids are 400, unknown ones 404, no token 401", async () => {
  assert.equal((await api.get(`${V1}/machines/abc`, { token: aAdmin.token })).status, 400);
  assert.equal((await api.get(`${V1}/machines/999999`, { token: aAdmin.token })).status, 404);
  assert.equal((await api.get(`${V1}/machines`)).status, 401);
});

test("GET /jobs/{id}/performance: every node's metrics against the reference, in the job's scope", async () => {
  const res = await api.get(`${V1}/jobs/${degradedJobId}/performance`, { token: aEng.token });
  assert.equal(res.status, 200, res.text);
  const p = res.body;
  assert.equal(p.status, "underperforming");
  assert.equal(p.nodes.length, 2);
  // Nodes come in task order (the order they registered, which concurrent agents race for).
  const taskIds = p.nodes.map((n: any) => BigInt(n.task_id));
  assert.ok(taskIds[0] < taskIds[1], JSON.stringify(taskIds.map(String)));
  assert.deepEqual(p.nodes.map((n: any) => n.machine_uuid).sort(), [...h100Uuids].sort());
  // The simulation degrades its second node (h100Uuids[1]).
  const statusOf = (uuid: string) => p.nodes.find((n: any) => n.machine_uuid === uuid);
  assert.equal(statusOf(h100Uuids[0]).status, "ok");
  assert.equal(statusOf(h100Uuids[1]).status, "underperforming");
  const bf16 = statusOf(h100Uuids[1]).metrics.bf16_tflops;
  assert.ok(bf16.value > 0 && bf16.reference > 0 && bf16.ratio < p.threshold, JSON.stringify(bf16));
  assert.equal(p.nodes_underperforming, 1);
  for (const u of [bAdmin, aColleague])
    assert.equal((await api.get(`${V1}/jobs/${degradedJobId}/performance`, { token: u.token })).status, 404);
  assert.equal((await api.get(`${V1}/jobs/${degradedJobId}/performance`, { token: staff.token })).status, 200);
});

test("machines carry their hostname and sort by status (problems first), hostname or last seen", async () => {
  const byStatus = await machines(aAdmin.token, "?sort_by=status");
  assert.deepEqual(
    byStatus.results.map((m: any) => m.last_performance_status),
    ["underperforming", "ok", "ok"],
  );
  assert.equal(byStatus.results[0].machine_uuid, h100Uuids[1]);
  assert.ok(
    byStatus.results.every((m: any) => /^gpu-r\d+-n\d{3}$/.test(m.hostname)),
    "hostname from the agent's registration",
  );
  const reversed = await machines(aAdmin.token, "?sort_by=status&sort_order=desc");
  assert.equal(reversed.results.at(-1).machine_uuid, h100Uuids[1]);
  const byHost = (await machines(aAdmin.token, "?sort_by=hostname")).results.map((m: any) => m.hostname);
  assert.deepEqual(byHost, [...byHost].sort());
  const detail = await api.get(`${V1}/machines/${byStatus.results[0].id}`, { token: aAdmin.token });
  assert.equal(detail.body.hostname, byStatus.results[0].hostname);
  const seen = (await machines(aAdmin.token)).results.map((m: any) => m.last_seen_at);
  assert.deepEqual(seen, [...seen].sort().reverse(), "newest first by default");
  for (const qs of ["?sort_by=uuid", "?sort_by=status&sort_order=up"]) {
    const res = await api.get(`${V1}/machines${qs}`, { token: aAdmin.token });
    assert.equal(res.status, 400, qs);
    assert.equal(res.body.error.code, "PARAMETER_INCORRECT_VALUE");
  }
});
