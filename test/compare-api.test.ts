// GET /compare: 2–4 jobs or nodes side by side, with deltas against the first, a beyond-noise
// flag from the GPU model's fleet band, and the configuration diff. Real H200 figures.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { useFreshDatabase } from "./helpers/db";
import { api, V1 } from "./helpers/api";
import { signedInUser } from "./helpers/users";
import { H200_INVENTORY, H200_MODEL, runH200Job } from "./helpers/h200-node";
import { refreshFleetReferences } from "../lib/performance/references";
import { getDb } from "../lib/db/client";

let teardown: () => Promise<void>;
let aEng: Awaited<ReturnType<typeof signedInUser>>;
let bAdmin: Awaited<ReturnType<typeof signedInUser>>;
let base: Awaited<ReturnType<typeof runH200Job>>;
let same: Awaited<ReturnType<typeof runH200Job>>;
let slower: Awaited<ReturnType<typeof runH200Job>>;
let foreign: Awaited<ReturnType<typeof runH200Job>>;

before(async () => {
  ({ teardown } = await useFreshDatabase());
  aEng = await signedInUser("user", "Compare A");
  bAdmin = await signedInUser("customer_admin", "Compare B");
  // A fleet of H200 nodes within ±0.4 % of each other: the band's noise.
  for (const [i, scale] of [1.0, 0.996, 1.004, 0.998, 1.002].entries())
    await runH200Job(aEng.token, { machineUuid: `h200-fleet-${i}`, scale });
  await refreshFleetReferences(await getDb(), [H200_MODEL], true);
  base = await runH200Job(aEng.token, { machineUuid: "h200-a", hostname: "gpu-a.lab", scale: 1, name: "baseline" });
  same = await runH200Job(aEng.token, { machineUuid: "h200-b", hostname: "gpu-b.lab", scale: 1.001, name: "same" });
  slower = await runH200Job(aEng.token, {
    machineUuid: "h200-c",
    hostname: "gpu-c.lab",
    scale: 0.95,
    name: "slower",
    inventory: { driver_version: "570.124.06", power_limit_watts: 600 },
  });
  foreign = await runH200Job(bAdmin.token, { machineUuid: "h200-b-own", scale: 1 });
});
after(() => teardown());

const get = (qs: string, token = aEng.token) => api.get(`${V1}/compare?${qs}`, { token });

test("jobs: values, delta % against the first, beyond-noise flags, config diff", async () => {
  const res = await get(`jobs=${base.jobId},${same.jobId},${slower.jobId}`);
  assert.equal(res.status, 200, res.text);
  assert.equal(res.body.kind, "jobs");
  assert.deepEqual(
    res.body.items.map((i: any) => i.label),
    ["baseline", "same", "slower"],
  );
  const bf16 = res.body.metrics.find((m: any) => m.metric === "bf16_tflops");
  assert.equal(bf16.unit, "TFLOPS");
  assert.equal(bf16.higher_is_better, true);
  assert.equal(bf16.delta_pct[0], null);
  assert.ok(Math.abs(bf16.delta_pct[1] - 0.1) < 0.05, `${bf16.delta_pct[1]}`);
  assert.ok(Math.abs(bf16.delta_pct[2] + 5) < 0.05, `${bf16.delta_pct[2]}`);
  assert.deepEqual(bf16.beyond_noise, [null, false, true]);
  assert.ok(bf16.noise.sigma > 0 && bf16.noise.gpu_model === H200_MODEL);
  const config = Object.fromEntries(res.body.config.map((c: any) => [c.field, c]));
  assert.deepEqual(config.driver_version.values, [
    H200_INVENTORY.driver_version,
    H200_INVENTORY.driver_version,
    "570.124.06",
  ]);
  assert.equal(config.driver_version.differs, true);
  assert.deepEqual(config.power_limit_watts.values, ["700", "700", "600"]);
  assert.equal(config.cuda_version.differs, false);
  assert.equal(config.gpu_model.values[0], H200_MODEL);
  assert.deepEqual(config.hostname.values, ["gpu-a.lab", "gpu-b.lab", "gpu-c.lab"]);
});

test("tasks: nodes compare the same way", async () => {
  const res = await get(`tasks=${base.taskId},${slower.taskId}`);
  assert.equal(res.status, 200, res.text);
  assert.equal(res.body.kind, "tasks");
  assert.deepEqual(
    res.body.items.map((i: any) => i.job_id),
    [base.jobId, slower.jobId],
  );
  const mem = res.body.metrics.find((m: any) => m.metric === "memory_bandwidth_gbs");
  assert.ok(Math.abs(mem.delta_pct[1] + 5) < 0.05);
  assert.equal(
    res.body.metrics.some((m: any) => m.metric === "avg_bandwidth_gbps"),
    false,
  );
});

test("bad input is a 400 naming the problem; other customers' items are 404", async () => {
  for (const qs of [
    `jobs=${base.jobId}`,
    `jobs=1,2,3,4,5`,
    `jobs=${base.jobId},${base.jobId}`,
    `jobs=a,b`,
    `jobs=1,2&tasks=3,4`,
    ``,
  ]) {
    const res = await get(qs);
    assert.equal(res.status, 400, `${qs}: ${res.text}`);
    assert.equal(res.body.error.code, "PARAMETER_INCORRECT_VALUE");
  }
  const hidden = await get(`jobs=${base.jobId},${foreign.jobId}`);
  assert.equal(hidden.status, 404, hidden.text);
  assert.match(hidden.body.error.message, new RegExp(foreign.jobId));
  assert.equal((await get(`tasks=${base.taskId},${foreign.taskId}`)).status, 404);
  assert.equal((await get(`jobs=${base.jobId},${same.jobId}`, bAdmin.token)).status, 404);
});
