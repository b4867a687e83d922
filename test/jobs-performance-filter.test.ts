import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { useFreshDatabase } from "./helpers/db";
import { api, inProcessFetch, V1 } from "./helpers/api";
import { signedInUser, type SignedInUser } from "./helpers/users";
import { AgentClient } from "../agent/client";
import { simulateJob } from "../agent/simulate-job";

// GET /jobs?performance_status= lists exactly the jobs alert_job_count counts (dashboard Performance page).
let teardown: () => Promise<void>;
let eng: SignedInUser;
let other: SignedInUser;

before(async () => {
  ({ teardown } = await useFreshDatabase());
  eng = await signedInUser("user", "Perf Co");
  other = await signedInUser("user", "Other Co");
});
after(() => teardown());

async function runJob(token: string, name: string, degraded: number) {
  const res = await api.post(`${V1}/jobs`, { token, body: { name, benchmarks: ["quick_mark"], node_count: 2 } });
  assert.equal(res.status, 201, res.text);
  const agent = new AgentClient({
    baseUrl: "http://localhost",
    token: res.body.token,
    fetch: inProcessFetch,
    backoffMs: 10,
  });
  await simulateJob(agent, { gpuModel: "NVIDIA H100 80GB HBM3", nodes: 2, degraded, seed: 11 });
  return res.body.id as string;
}

test("performance_status filters the list to the jobs behind alert_job_count, within the caller's tenant", async () => {
  const bad = await runJob(eng.token, "slow", 1);
  await runJob(eng.token, "fine", 0);
  await runJob(other.token, "other-slow", 1);
  await api.post(`${V1}/jobs`, { token: eng.token, body: { name: "waiting", benchmarks: ["quick_mark"] } });

  const list = async (qs: string, token = eng.token) => (await api.get(`${V1}/jobs${qs}`, { token })).body;
  const under = await list("?performance_status=underperforming&state=completed&include=performance,performance_nodes");
  assert.deepEqual(
    under.results.map((j: any) => j.id),
    [bad],
  );
  assert.equal(under.results[0].performance.status, "underperforming");
  assert.equal(under.results[0].performance_nodes.filter((n: any) => n.status === "underperforming").length, 1);
  const stats = (await api.get(`${V1}/jobs/stats`, { token: eng.token })).body;
  assert.equal(stats.alert_job_count, under.pagination.total);

  assert.deepEqual(
    (await list("?performance_status=ok")).results.map((j: any) => j.name),
    ["fine"],
  );
  assert.deepEqual(
    (await list("?performance_status=unknown")).results.map((j: any) => j.name),
    ["waiting"],
  );
});

test("an unknown performance_status is a 400 naming the allowed values", async () => {
  const res = await api.get(`${V1}/jobs?performance_status=bad`, { token: eng.token });
  assert.equal(res.status, 400);
  assert.equal(res.body.error.code, "PARAMETER_INCORRECT_VALUE");
  assert.match(res.body.error.message, /ok, underperforming, regressed, unknown/);
});
