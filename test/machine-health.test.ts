// Machine health (issue #12 items 3 and 5): a bad verdict on an enrolled machine is re-run
// there before anyone is accused; a confirmed one makes the machine suspect (one node.suspect
// in the outbox, with both runs' evidence), a recovered one is a transient. Admins quarantine
// and clear; the drain list prints quarantined hosts safely; a price turns lost capacity into
// a cost. Nodes are the recorded H200 quick_mark (test/fixtures) scaled per run.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { useFreshDatabase } from "./helpers/db";
import { api, V1 } from "./helpers/api";
import { signedInUser, type SignedInUser } from "./helpers/users";
import { H200_MODEL, runH200Job, runH200NodeOnJob } from "./helpers/h200-node";
import { getDb } from "../lib/db/client";
import { refreshFleetReferences } from "../lib/performance/references";
import { startHealthWorkers } from "../lib/health/workers";

let teardown: () => Promise<void>;
let owner: SignedInUser;
let admin: SignedInUser;
let otherAdmin: SignedInUser;
let staff: SignedInUser;
let root: SignedInUser;
const PRICE = 2.5;
const GPUS = 2;
// A stable history: the real figures within ±0.4 % run to run.
const STABLE = [1.0, 0.996, 1.004, 0.998, 1.002, 1.001];
const DEGRADED = 0.8;

const machineByUuid = async (uuid: string) => {
  const db = await getDb();
  return db.machine.findFirstOrThrow({ where: { uuid } });
};

async function stableHistory(uuid: string, hostname = uuid) {
  for (const [i, scale] of STABLE.entries())
    await runH200Job(owner.token, { machineUuid: uuid, hostname, scale, gpuCount: GPUS, name: `${uuid} stable ${i}` });
}

async function enroll(uuid: string) {
  const db = await getDb();
  await db.machine.update({ where: { id: (await machineByUuid(uuid)).id }, data: { enrolledAt: new Date() } });
}

/** The confirmation job the worker creates for a node, once it has. */
async function confirmationOf(taskId: string, timeoutMs = 30_000) {
  const db = await getDb();
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const job = await db.job.findFirst({ where: { confirmsTaskId: BigInt(taskId) }, include: { targets: true } });
    if (job) return job;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail(`no confirmation re-run of task ${taskId} within ${timeoutMs} ms`);
}

const eventsOf = async (type: string) => {
  const db = await getDb();
  return db.event.findMany({ where: { type }, orderBy: { id: "asc" } });
};

const setHealth = (who: SignedInUser, machineId: number, state: string, note = "checked by hand") =>
  api.post(`${V1}/machines/${machineId}/health`, { token: who.token, body: { state, note } });

before(async () => {
  ({ teardown } = await useFreshDatabase());
  owner = await signedInUser("user", "Health A");
  admin = await signedInUser("customer_admin", "Health A");
  otherAdmin = await signedInUser("customer_admin", "Health B");
  staff = await signedInUser("staff", "Operator");
  root = await signedInUser("root_admin", "Operator");
  for (const uuid of ["h200-flaky", "h200-blip", "h200-oneoff"]) await stableHistory(uuid);
  await refreshFleetReferences(await getDb(), [H200_MODEL], true);
  await enroll("h200-flaky");
  await enroll("h200-blip");
  await startHealthWorkers({ pollingIntervalSeconds: 0.5 });
});
after(() => teardown());

test("prices per GPU-hour: customer admins set them, users read them, others may not", async () => {
  const body = { prices: [{ gpu_model: H200_MODEL, price_per_gpu_hour: PRICE }] };
  assert.equal((await api.put(`${V1}/gpu-prices`, { token: owner.token, body })).status, 403);
  const bad = await api.put(`${V1}/gpu-prices`, {
    token: admin.token,
    body: { prices: [{ gpu_model: H200_MODEL, price_per_gpu_hour: -1 }] },
  });
  assert.equal(bad.status, 400, bad.text);
  const put = await api.put(`${V1}/gpu-prices`, { token: admin.token, body });
  assert.equal(put.status, 200, put.text);
  const read = await api.get(`${V1}/gpu-prices`, { token: owner.token });
  assert.deepEqual(
    read.body.prices.map((p: any) => [p.gpu_model, p.price_per_gpu_hour]),
    [[H200_MODEL, PRICE]],
  );
  assert.deepEqual(read.body.fleet_gpu_models, [H200_MODEL]);
  // Another customer's list is its own.
  assert.deepEqual((await api.get(`${V1}/gpu-prices`, { token: otherAdmin.token })).body.prices, []);
});

test("a degraded node on an enrolled machine is re-run there, confirmed, and the machine becomes suspect", async () => {
  const db = await getDb();
  const machine = await machineByUuid("h200-flaky");
  const first = await runH200Job(owner.token, { machineUuid: "h200-flaky", scale: DEGRADED, gpuCount: GPUS });
  const original = await db.task.findUniqueOrThrow({ where: { id: BigInt(first.taskId) } });
  assert.equal((original.performance as any).status, "underperforming");

  const rerun = await confirmationOf(first.taskId);
  assert.equal(rerun.origin, "confirmation");
  assert.equal(rerun.nodeCount, 1);
  assert.equal(rerun.userId, owner.id, "owned by the original job's user");
  assert.deepEqual(rerun.benchmarkIds, ["quick_mark"]);
  assert.deepEqual(
    rerun.targets.map((t) => t.machineId),
    [machine.id],
  );
  // A second bad verdict while the re-run waits makes no second re-run.
  const burst = await runH200Job(owner.token, { machineUuid: "h200-flaky", scale: DEGRADED, gpuCount: GPUS });
  await new Promise((r) => setTimeout(r, 2500));
  assert.equal(
    await db.job.count({ where: { origin: "confirmation", targets: { some: { machineId: machine.id } } } }),
    1,
  );
  assert.equal(await db.job.count({ where: { confirmsTaskId: BigInt(burst.taskId) } }), 0);
  assert.equal((await db.machine.findUniqueOrThrow({ where: { id: machine.id } })).healthState, "healthy");

  // The machine's service agent runs it: still degraded.
  const confirm = await runH200NodeOnJob(rerun.token, { machineUuid: "h200-flaky", scale: DEGRADED, gpuCount: GPUS });
  const after = await api.get(`${V1}/machines/${machine.id}`, { token: owner.token });
  assert.equal(after.status, 200, after.text);
  const health = after.body.health;
  assert.equal(health.state, "suspect");
  assert.equal(health.evidence.original.task_id, first.taskId);
  assert.equal(health.evidence.original.verdict, "underperforming");
  assert.equal(health.evidence.confirmation.task_id, confirm.taskId);
  assert.equal(health.evidence.confirmation.verdict, "underperforming");
  const ratio = health.evidence.confirmation.limiting_metric.ratio;
  assert.ok(ratio > 0.75 && ratio < 0.85, `limiting ratio ${ratio}`);
  assert.ok(health.evidence.confirmation.key_metrics.bf16_tflops.value > 0);
  // Cost: (1 − ratio of the limiting metric) × GPUs × price × 24.
  const expected = Math.round((1 - ratio) * GPUS * PRICE * 24 * 100) / 100;
  assert.equal(health.capacity_lost_per_day, expected);
  assert.equal(health.price_per_gpu_hour, PRICE);
  assert.deepEqual(
    health.history.map((h: any) => [h.kind, h.from_state, h.to_state, h.by]),
    [["suspect", "healthy", "suspect", null]],
  );

  const suspect = (await eventsOf("node.suspect")).filter((e) => (e.payload as any).machine.id === machine.id);
  assert.equal(suspect.length, 1, "exactly one node.suspect");
  const data = suspect[0].payload as any;
  assert.equal(suspect[0].customerId, machine.customerId);
  assert.deepEqual(data.machine, {
    id: machine.id,
    uuid: "h200-flaky",
    hostname: "h200-flaky",
    gpu_model: H200_MODEL,
    gpu_count: GPUS,
  });
  assert.equal(data.evidence.original.task_id, first.taskId);
  assert.equal(data.evidence.confirmation.task_id, confirm.taskId);
  assert.equal(data.capacity_lost_per_day, expected);
  assert.equal(data.price_per_gpu_hour, PRICE);

  // The list shows it, filterable, with its cost (the Performance page's suspect nodes).
  const list = await api.get(`${V1}/machines?health_state=suspect`, { token: owner.token });
  assert.deepEqual(
    list.body.results.map((m: any) => [m.machine_uuid, m.health.state, m.health.capacity_lost_per_day]),
    [["h200-flaky", "suspect", expected]],
  );
});

test("a re-run that is fine again is a transient: noted, not suspect", async () => {
  const db = await getDb();
  const machine = await machineByUuid("h200-blip");
  const first = await runH200Job(owner.token, { machineUuid: "h200-blip", scale: DEGRADED, gpuCount: GPUS });
  const rerun = await confirmationOf(first.taskId);
  await runH200NodeOnJob(rerun.token, { machineUuid: "h200-blip", scale: 1.001, gpuCount: GPUS });
  const row = await db.machine.findUniqueOrThrow({ where: { id: machine.id } });
  assert.equal(row.healthState, "healthy");
  const { body } = await api.get(`${V1}/machines/${machine.id}`, { token: owner.token });
  assert.equal(body.health.state, "healthy");
  assert.equal(body.health.capacity_lost_per_day, null);
  assert.deepEqual(
    body.health.history.map((h: any) => [h.kind, h.to_state]),
    [["transient", "healthy"]],
  );
  assert.equal(body.health.history[0].evidence.original.task_id, first.taskId);
  assert.equal(body.health.history[0].evidence.confirmation.verdict, "ok");
  const suspect = (await eventsOf("node.suspect")).filter((e) => (e.payload as any).machine.id === machine.id);
  assert.equal(suspect.length, 0);
});

test("a regressed node writes node.regressed; a machine that is not enrolled is not re-run", async () => {
  const db = await getDb();
  const machine = await machineByUuid("h200-oneoff");
  const drifted = await runH200Job(owner.token, { machineUuid: "h200-oneoff", scale: 0.95, gpuCount: GPUS });
  const task = await db.task.findUniqueOrThrow({ where: { id: BigInt(drifted.taskId) } });
  assert.equal((task.performance as any).status, "regressed");
  const regressed = (await eventsOf("node.regressed")).filter(
    (e) => (e.payload as any).evidence.task_id === drifted.taskId,
  );
  assert.equal(regressed.length, 1);
  const data = regressed[0].payload as any;
  assert.equal(data.machine.id, machine.id);
  assert.equal(data.verdict, "regressed");
  assert.ok(data.evidence.regressed_metrics.length > 0);
  assert.ok(data.evidence.key_metrics.bf16_tflops.baseline > data.evidence.key_metrics.bf16_tflops.value);
  assert.equal(data.price_per_gpu_hour, PRICE);
  assert.equal(
    data.capacity_lost_per_day,
    Math.round((1 - data.evidence.limiting_metric.ratio) * GPUS * PRICE * 24 * 100) / 100,
  );
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(await db.job.count({ where: { confirmsTaskId: BigInt(drifted.taskId) } }), 0);
  assert.equal((await db.machine.findUniqueOrThrow({ where: { id: machine.id } })).healthState, "healthy");
});

test("CONFIRM_RERUNS=0: a bad verdict makes its machine suspect at once", async () => {
  process.env.CONFIRM_RERUNS = "0";
  try {
    const { taskId } = await runH200Job(owner.token, { machineUuid: "h200-direct", scale: 0.7, gpuCount: GPUS });
    const machine = await machineByUuid("h200-direct");
    assert.equal(machine.healthState, "suspect");
    assert.equal((machine.healthEvidence as any).original.task_id, taskId);
    assert.equal((machine.healthEvidence as any).confirmation, null);
    const db = await getDb();
    assert.equal(await db.job.count({ where: { confirmsTaskId: BigInt(taskId) } }), 0);
  } finally {
    delete process.env.CONFIRM_RERUNS;
  }
});

test("admins quarantine and clear; users may not; other tenants see nothing", async () => {
  const machine = await machineByUuid("h200-flaky");
  assert.equal((await setHealth(owner, machine.id, "quarantined")).status, 403);
  assert.equal((await setHealth(staff, machine.id, "quarantined")).status, 403);
  assert.equal((await setHealth(otherAdmin, machine.id, "quarantined")).status, 404);
  const bad = await api.post(`${V1}/machines/${machine.id}/health`, {
    token: admin.token,
    body: { state: "suspect", note: "x" },
  });
  assert.equal(bad.status, 400, bad.text);
  assert.equal((await setHealth(admin, machine.id, "quarantined", "")).status, 400);

  const q = await setHealth(admin, machine.id, "quarantined", "HBM errors; RMA ticket 4411");
  assert.equal(q.status, 200, q.text);
  assert.equal(q.body.state, "quarantined");
  assert.equal(q.body.note, "HBM errors; RMA ticket 4411");
  assert.ok(q.body.capacity_lost_per_day > 0, "the evidence (and its cost) stay with the quarantined machine");
  const last = q.body.history.at(-1);
  assert.deepEqual(
    [last.kind, last.from_state, last.to_state, last.note],
    ["quarantined", "suspect", "quarantined", "HBM errors; RMA ticket 4411"],
  );
  assert.equal(last.by, admin.email);
  const again = await setHealth(admin, machine.id, "quarantined");
  assert.equal(again.status, 409, again.text);
  assert.equal(again.body.error.code, "INVALID_HEALTH_STATE");

  const events = (await eventsOf("node.quarantined")).filter((e) => (e.payload as any).machine.id === machine.id);
  assert.equal(events.length, 1);
  const data = events[0].payload as any;
  assert.equal(data.previous_state, "suspect");
  assert.equal(data.note, "HBM errors; RMA ticket 4411");
  assert.deepEqual(data.by, { id: admin.id, email: admin.email });
  assert.equal(data.evidence.confirmation.verdict, "underperforming");

  const cleared = await setHealth(admin, machine.id, "cleared", "GPU replaced");
  assert.equal(cleared.status, 200, cleared.text);
  assert.equal(cleared.body.state, "cleared");
  assert.equal((await setHealth(admin, machine.id, "cleared")).status, 409);

  // Quarantine straight from healthy; a root admin may do it for any customer.
  const blip = await machineByUuid("h200-blip");
  assert.equal((await setHealth(admin, blip.id, "cleared")).status, 409, "nothing to clear");
  const direct = await setHealth(root, blip.id, "quarantined", "pulled for a firmware update");
  assert.equal(direct.status, 200, direct.text);
  assert.equal(direct.body.state, "quarantined");
  assert.equal(direct.body.history.at(-1).from_state, "healthy");

  const list = await api.get(`${V1}/machines?health_state=quarantined`, { token: admin.token });
  assert.deepEqual(
    list.body.results.map((m: any) => m.machine_uuid),
    ["h200-blip"],
  );
});

/** Runs the drain list in bash with scontrol/kubectl replaced by printers of their arguments. */
function runInShell(script: string): string[][] {
  const stubs = `scontrol() { printf '%s\\0' "$@"; printf '\\n'; }\nkubectl() { printf '%s\\0' "$@"; printf '\\n'; }\n`;
  const out = execFileSync("bash", ["-c", stubs + script], { encoding: "utf8" });
  return out
    .split("\n")
    .filter(Boolean)
    .map((line) => line.split("\0").slice(0, -1));
}

test("the drain list prints quarantined hosts for a shell, whatever their names and notes", async () => {
  const marker = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "drain-")), "pwned");
  const hostile = `evil$(touch ${marker});rm -rf ~ \`touch ${marker}\` 'x'`;
  const note = `disk's gone"; touch ${marker}; echo '\nscontrol update nodename=all state=down`;
  await runH200Job(owner.token, { machineUuid: "h200-hostile", hostname: hostile, gpuCount: GPUS });
  const machine = await machineByUuid("h200-hostile");
  assert.equal((await setHealth(admin, machine.id, "quarantined", note)).status, 200);
  const blipReason = "pulled for a firmware update";
  const flatNote = note.replace("\n", " ");

  const text = await api.get(`${V1}/machines/drain-list`, { token: admin.token });
  assert.equal(text.status, 200, text.text);
  assert.match(text.headers.get("content-type")!, /^text\/plain/);
  const listed = execFileSync(
    "bash",
    ["-c", `for h in ${text.text.trim().split("\n").join(" ")}; do printf '%s\\0' "$h"; done`],
    {
      encoding: "utf8",
    },
  );
  assert.deepEqual(listed.split("\0").slice(0, -1), [hostile, "h200-blip"]);

  const slurm = await api.get(`${V1}/machines/drain-list?format=slurm`, { token: admin.token });
  assert.equal(slurm.status, 200, slurm.text);
  assert.deepEqual(runInShell(slurm.text), [
    ["update", `nodename=${hostile}`, "state=drain", `reason=${flatNote}`],
    ["update", "nodename=h200-blip", "state=drain", `reason=${blipReason}`],
  ]);

  const k8s = await api.get(`${V1}/machines/drain-list?format=kubernetes`, { token: admin.token });
  assert.equal(k8s.status, 200, k8s.text);
  assert.deepEqual(runInShell(k8s.text), [
    ["cordon", "--", hostile],
    ["taint", "nodes", "--overwrite", "--", hostile, "benchboard.io/quarantined=true:NoSchedule"],
    ["annotate", "nodes", "--overwrite", "--", hostile, `benchboard.io/quarantine-reason=${flatNote}`],
    ["cordon", "--", "h200-blip"],
    ["taint", "nodes", "--overwrite", "--", "h200-blip", "benchboard.io/quarantined=true:NoSchedule"],
    ["annotate", "nodes", "--overwrite", "--", "h200-blip", `benchboard.io/quarantine-reason=${blipReason}`],
  ]);
  assert.equal(fs.existsSync(marker), false, "nothing in a hostname or note ran");

  // Scoped like the fleet: another customer's admin gets an empty list; a bad format is a 400.
  const other = await api.get(`${V1}/machines/drain-list?format=slurm`, { token: otherAdmin.token });
  assert.equal(other.text, "# Benchboard: 0 quarantined machines\n");
  assert.equal((await api.get(`${V1}/machines/drain-list?format=ansible`, { token: admin.token })).status, 400);
});
