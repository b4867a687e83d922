// Reports, archives, results, summary, export and bulk delete never reveal or touch another
// customer's jobs (and, within a customer, plain users only reach their own).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { useFreshDatabase } from "./helpers/db";
import { api, V1 } from "./helpers/api";
import { signInRoleMatrix, type SignedInUser } from "./helpers/users";
import { runSimulatedJob } from "./helpers/simulated-job";
import { download } from "./helpers/download";

let teardown: () => Promise<void>;
let a: SignedInUser,
  aAdmin: SignedInUser,
  aColleague: SignedInUser,
  b: SignedInUser,
  bAdmin: SignedInUser,
  staff: SignedInUser;
let jobA: any;
let outsiders: SignedInUser[];

before(async () => {
  ({ teardown } = await useFreshDatabase());
  ({ a, aAdmin, aColleague, b, bAdmin, staff } = await signInRoleMatrix());
  jobA = await runSimulatedJob(
    a.token,
    { name: "a-secret-run", tags: ["a-only"] },
    { gpuModel: "NVIDIA H100 NVL", seed: 9 },
  );
  outsiders = [b, bAdmin, aColleague];
});
after(() => teardown());

test("reports and archives answer 404 outside scope", async () => {
  const task = jobA.tasks[0];
  const paths = [
    `/jobs/${jobA.id}/report.pdf`,
    `/jobs/${jobA.id}/tasks/${task.id}/report.pdf`,
    `/jobs/${jobA.id}/results.tar.gz`,
    `/jobs/${jobA.id}/results.tar.gz?task_id=${task.id}`,
  ];
  for (const u of outsiders) {
    for (const p of paths) {
      const res = await api.get(`${V1}${p}`, { token: u.token });
      assert.equal(res.status, 404, `${p} for ${u.email}`);
      assert.equal(res.body.error.code, "RESOURCE_NOT_FOUND");
    }
  }
  for (const u of [a, aAdmin, staff]) {
    for (const p of paths) assert.equal((await download(`${V1}${p}`, u.token)).status, 200, `${p} for ${u.email}`);
  }
});

test("results by id answer 404 outside scope", async () => {
  const ids = [jobA.benchmark_results.quick_mark.id, jobA.tasks[0].benchmark_results.quick_mark.id];
  for (const u of outsiders) {
    for (const id of ids) {
      assert.equal((await api.get(`${V1}/results/${id}`, { token: u.token })).status, 404);
      assert.equal((await api.get(`${V1}/results/${id}/job`, { token: u.token })).status, 404);
    }
  }
  assert.equal((await api.get(`${V1}/results/${ids[1]}`, { token: aAdmin.token })).status, 200);
});

test("summary counts and export rows stay inside the caller's scope", async () => {
  for (const u of outsiders) {
    const s = (await api.get(`${V1}/jobs/summary`, { token: u.token })).body;
    assert.equal(s.total_jobs, 0, u.email);
    assert.equal(s.by_state.completed, 0);
    assert.equal(s.by_benchmark.quick_mark, 0);
    const csv = await api.get(`${V1}/jobs/export?format=csv`, { token: u.token });
    assert.equal(csv.status, 200);
    assert.equal(csv.text.trim().split("\r\n").length, 1, "header only");
    assert.ok(!csv.text.includes("a-secret-run"));
    assert.deepEqual((await api.get(`${V1}/jobs/export?format=json&tags=a-only`, { token: u.token })).body, []);
  }
  assert.equal((await api.get(`${V1}/jobs/summary`, { token: aAdmin.token })).body.by_state.completed, 1);
  const own = await api.get(`${V1}/jobs/export?format=json`, { token: a.token });
  assert.deepEqual(
    own.body.map((j: any) => j.name),
    ["a-secret-run"],
  );
});

test("another customer's admin bulk-deletes nothing of ours", async () => {
  const res = await api.delete(`${V1}/jobs?created_before=2999-01-01&finished_before=2999-01-01`, {
    token: bAdmin.token,
  });
  assert.equal(res.status, 200);
  assert.equal(res.body.deleted_count, 0);
  assert.equal((await api.delete(`${V1}/jobs?created_before=2999-01-01`, { token: b.token })).status, 403);
  assert.equal((await api.get(`${V1}/jobs/${jobA.id}`, { token: a.token })).status, 200);
  // Their own admin may.
  assert.equal(
    (await api.delete(`${V1}/jobs?created_before=2999-01-01`, { token: aAdmin.token })).body.deleted_count,
    1,
  );
  assert.equal((await api.get(`${V1}/jobs/${jobA.id}`, { token: a.token })).status, 404);
});
