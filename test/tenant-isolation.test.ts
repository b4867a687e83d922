// A user of customer B must not see, list, count, tag, read results of or delete customer A's
// jobs through any endpoint; within a customer, plain users see only their own jobs.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { useFreshDatabase } from "./helpers/db";
import { api, V1 } from "./helpers/api";
import { signInRoleMatrix, type SignedInUser } from "./helpers/users";
import { getDb } from "../lib/db/client";

let teardown: () => Promise<void>;
let a: SignedInUser,
  aColleague: SignedInUser,
  aAdmin: SignedInUser,
  b: SignedInUser,
  bAdmin: SignedInUser,
  staff: SignedInUser,
  root: SignedInUser;
let jobA: any;

before(async () => {
  ({ teardown } = await useFreshDatabase());
  ({ a, aColleague, aAdmin, b, bAdmin, staff, root } = await signInRoleMatrix());
  jobA = (
    await api.post(`${V1}/jobs`, {
      token: a.token,
      body: { name: "secret-a", benchmarks: ["quick_mark"], tags: ["a-only"] },
    })
  ).body;
  // Mark it underperforming so the stats count would reveal it if scoping leaked.
  await (
    await getDb()
  ).job.update({ where: { id: BigInt(jobA.id) }, data: { state: "completed", performanceStatus: "underperforming" } });
});
after(() => teardown());

const ids = async (token: string) => (await api.get(`${V1}/jobs`, { token })).body.results.map((j: any) => j.id);

test("list: own jobs for users, customer's for admins, all for staff/root", async () => {
  assert.deepEqual(await ids(a.token), [jobA.id]);
  assert.deepEqual(await ids(aColleague.token), []);
  assert.deepEqual(await ids(aAdmin.token), [jobA.id]);
  assert.deepEqual(await ids(b.token), []);
  assert.deepEqual(await ids(bAdmin.token), []);
  assert.deepEqual(await ids(staff.token), [jobA.id]);
  assert.deepEqual(await ids(root.token), [jobA.id]);
  const total = async (token: string, qs: string) =>
    (await api.get(`${V1}/jobs${qs}`, { token })).body.pagination.total;
  for (const qs of ["?name=secret", "?tags=a-only", "?state=completed", "?benchmark_id=quick_mark"])
    assert.equal(await total(bAdmin.token, qs), 0, qs);
});

test("tags and stats are scoped", async () => {
  assert.deepEqual((await api.get(`${V1}/jobs/tags`, { token: bAdmin.token })).body.tags, []);
  assert.deepEqual((await api.get(`${V1}/jobs/tags`, { token: aColleague.token })).body.tags, []);
  assert.deepEqual((await api.get(`${V1}/jobs/tags`, { token: aAdmin.token })).body.tags, ["a-only"]);
  const stats = async (token: string) => (await api.get(`${V1}/jobs/stats`, { token })).body.alert_job_count;
  assert.equal(await stats(a.token), 1);
  assert.equal(await stats(aAdmin.token), 1);
  assert.equal(await stats(staff.token), 1);
  assert.equal(await stats(b.token), 0);
  assert.equal(await stats(bAdmin.token), 0);
  assert.equal(await stats(aColleague.token), 0);
});

test("detail, results and patch answer 404 outside scope, and change nothing", async () => {
  for (const u of [b, bAdmin, aColleague]) {
    assert.equal((await api.get(`${V1}/jobs/${jobA.id}`, { token: u.token })).status, 404);
    assert.equal((await api.get(`${V1}/jobs/${jobA.id}/results`, { token: u.token })).status, 404);
    const patch = await api.patch(`${V1}/jobs/${jobA.id}`, { token: u.token, body: { tags: ["pwned"] } });
    assert.equal(patch.status, 404);
  }
  assert.equal((await api.get(`${V1}/jobs/${jobA.id}`, { token: aAdmin.token })).status, 200);
  assert.equal((await api.get(`${V1}/jobs/${jobA.id}`, { token: staff.token })).status, 200);
  assert.deepEqual((await api.get(`${V1}/jobs/${jobA.id}`, { token: a.token })).body.tags, ["a-only"]);
});

test("logs and cancel answer 404 outside scope", async () => {
  for (const u of [b, bAdmin, aColleague]) {
    assert.equal((await api.get(`${V1}/jobs/${jobA.id}/logs`, { token: u.token })).status, 404);
    assert.equal((await api.post(`${V1}/jobs/${jobA.id}/cancel`, { token: u.token })).status, 404);
  }
  assert.equal((await api.get(`${V1}/jobs/${jobA.id}/logs`, { token: aAdmin.token })).status, 200);
});

test("delete: other customers get 404 (the job does not exist for them), staff and root 403; the job survives", async () => {
  for (const u of [b, bAdmin, aColleague]) {
    const res = await api.delete(`${V1}/jobs/delete`, { token: u.token, body: { id: jobA.id } });
    assert.equal(res.status, 404, res.text);
    assert.equal(res.body.error.code, "RESOURCE_NOT_FOUND");
  }
  for (const u of [staff, root]) {
    const res = await api.delete(`${V1}/jobs/delete`, { token: u.token, body: { id: jobA.id } });
    assert.equal(res.status, 403, res.text);
    assert.equal(res.body.error.code, "PERMISSION_DENIED");
  }
  assert.equal((await api.get(`${V1}/jobs/${jobA.id}`, { token: a.token })).status, 200);
  const own = await api.delete(`${V1}/jobs/delete`, { token: aAdmin.token, body: { id: jobA.id } });
  assert.equal(own.status, 200);
});
