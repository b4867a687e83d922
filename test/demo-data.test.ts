import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { useFreshDatabase } from "./helpers/db";
import { getDb } from "../lib/db/client";
import { seedDemoAccounts, DEMO_ACCOUNTS, DEMO_PASSWORD } from "../lib/demo/accounts";
import { seedDemoHistory } from "../lib/demo/history";
import { DEMO_STORIES } from "../lib/demo/fleet";
import { api, V1 } from "./helpers/api";
import { JOB_STATES } from "../lib/jobs/states";

let teardown: () => Promise<void>;
let token: string;
const WEEK_MS = 7 * 86400_000;

// The e2e suite's size: the stories must already be there with 60 jobs.
before(async () => {
  ({ teardown } = await useFreshDatabase());
  const db = await getDb();
  assert.equal(await seedDemoAccounts(db), true);
  assert.equal(await seedDemoAccounts(db), false, "only on an empty database");
  assert.equal(await seedDemoHistory(db, { jobs: 60, days: 60 }), 60);
  const admin = DEMO_ACCOUNTS.find((a) => a.role === "customer_admin" && a.customer === DEMO_STORIES.customer)!;
  token = (await api.post(`${V1}/token`, { form: { username: admin.email, password: DEMO_PASSWORD } })).body
    .access_token;
});
after(() => teardown());

async function machineByHostname(hostname: string) {
  const list = await api.get(`${V1}/machines?per_page=300&sort_by=hostname`, { token });
  const m = list.body.results.find((x: any) => x.hostname === hostname);
  assert.ok(m, `${hostname} in the fleet`);
  const detail = await api.get(`${V1}/machines/${m.id}`, { token });
  assert.equal(detail.status, 200);
  return detail.body;
}

async function latestJob(query: string) {
  const list = await api.get(`${V1}/jobs?${query}&sort_by=created_at&sort_order=desc&per_page=1`, { token });
  return (await api.get(`${V1}/jobs/${list.body.results[0].id}`, { token })).body;
}

test("first start: demo accounts can sign in and the history covers every state", async () => {
  const db = await getDb();
  const states = await db.job.groupBy({ by: ["state"], _count: true });
  assert.deepEqual(states.map((s) => s.state).sort(), [...JOB_STATES].sort());
  assert.ok((await db.job.count({ where: { performanceStatus: "underperforming" } })) > 0, "some underperforming jobs");
  assert.ok((await db.job.count({ where: { nodeCount: { gt: 1 }, state: "completed" } })) > 0, "multi-node jobs");
  const oldest = await db.job.findFirst({ orderBy: { createdAt: "asc" } });
  assert.ok(Date.now() - oldest!.createdAt.getTime() > 50 * 86400_000, "history spans weeks");
  const list = await api.get(`${V1}/jobs?per_page=300`, { token });
  assert.ok(list.body.pagination.total > 0);
  assert.ok(
    list.body.results.every((j: any) => j.name),
    "admin sees its customer's jobs",
  );
});

test("a fixed fleet with hostnames runs many times: every machine has a history", async () => {
  const db = await getDb();
  const machines = await db.machine.findMany();
  assert.ok(
    machines.length >= 16 && machines.length <= 24,
    `a fixed fleet, not a machine per job (${machines.length})`,
  );
  assert.ok(
    machines.every((m) => /^gpu-r\d+-n\d{3}$/.test(m.hostname ?? "")),
    "realistic hostnames stored on the machine",
  );
  const runs = await db.task.groupBy({ by: ["machineUuid"], _count: true });
  assert.equal(runs.length, machines.length, "every machine ran");
  assert.ok(
    runs.filter((r) => r._count >= 8).length >= machines.length / 2,
    "half the fleet (the cluster racks) ran at least weekly",
  );
  const weekly = await api.get(`${V1}/jobs?tags=weekly&per_page=100`, { token });
  assert.ok(
    weekly.body.results.length >= 8 &&
      weekly.body.results.every((j: any) => j.node_count > 1 && j.benchmarks.includes("cluster_network")),
    "weekly multi-node cluster_network runs",
  );
});

test("story: the drifting node's memory bandwidth slides about 1 % a week", async () => {
  const m = await machineByHostname(DEMO_STORIES.drift.hostname);
  const points = m.history
    .filter((h: any) => h.metrics.memory_bandwidth_gbs)
    .map((h: any) => ({ x: Date.parse(h.date) / WEEK_MS, y: h.metrics.memory_bandwidth_gbs.value }));
  assert.ok(points.length >= 20, `≥ 20 runs (${points.length})`);
  // Least-squares slope, relative to the first weeks' level.
  const mx = points.reduce((a: number, p: any) => a + p.x, 0) / points.length;
  const my = points.reduce((a: number, p: any) => a + p.y, 0) / points.length;
  const slope =
    points.reduce((a: number, p: any) => a + (p.x - mx) * (p.y - my), 0) /
    points.reduce((a: number, p: any) => a + (p.x - mx) ** 2, 0);
  const perWeek = slope / points[0].y;
  assert.ok(perWeek < -0.007 && perWeek > -0.013, `memory bandwidth trend ${(perWeek * 100).toFixed(2)} % a week`);
});

test("story: one throttling GPU shows in the node's per-GPU test_results", async () => {
  const m = await machineByHostname(DEMO_STORIES.throttling.hostname);
  const job = await latestJob(`tags=weekly`);
  const task = job.tasks.find((t: any) => t.machine_uuid === m.machine_uuid);
  const rows = task.benchmark_results.quick_mark.results.test_results as { gpu_index: number; bf16_tflops: number }[];
  const slowest = rows.reduce((a, b) => (b.bf16_tflops < a.bf16_tflops ? b : a));
  assert.equal(slowest.gpu_index, DEMO_STORIES.throttling.gpuIndex);
  const others = rows.filter((r) => r !== slowest).map((r) => r.bf16_tflops);
  assert.ok(slowest.bf16_tflops < 0.8 * Math.min(...others), "well below its peers");
});

test("story: a node failed, had maintenance (with the note) and recovered", async () => {
  const m = await machineByHostname(DEMO_STORIES.maintenance.hostname);
  const tagged = await api.get(`${V1}/jobs?tags=${DEMO_STORIES.maintenance.tag}`, { token });
  assert.equal(tagged.body.results.length, 1);
  const fix = (await api.get(`${V1}/jobs/${tagged.body.results[0].id}`, { token })).body;
  assert.match(fix.description, /Maintenance: .*replaced/);
  const at = m.history.findIndex((h: any) => h.job_id === fix.id);
  assert.ok(at > 0, "the maintenance run is in the machine's history");
  const before = m.history.slice(0, at);
  assert.ok(
    before.some((h: any) => h.node_state === "failed"),
    "failed before maintenance",
  );
  assert.ok(
    before.some((h: any) => h.performance_status === "underperforming"),
    "underperformed before maintenance",
  );
  assert.ok(
    m.history.slice(at).every((h: any) => h.node_state === "completed" && h.performance_status === "ok"),
    "clean since",
  );
});

test("story: a repeat offender is among the fleet list's problems, which come first when sorted by status", async () => {
  const list = await api.get(`${V1}/machines?sort_by=status&per_page=300`, { token });
  const listed = list.body.results.map((r: any) => r.last_performance_status);
  const firstOk = listed.indexOf("ok");
  assert.ok(firstOk > 0, "problems first, then healthy machines");
  assert.ok(
    listed.slice(firstOk).every((s: string) => s === "ok"),
    "nothing healthy before a problem",
  );
  const offender = list.body.results.findIndex((r: any) => r.hostname === DEMO_STORIES.repeatOffender.hostname);
  assert.ok(offender >= 0 && offender < firstOk, "the repeat offender is listed among the problems");
  assert.equal(list.body.results[offender].last_performance_status, "underperforming");
  const m = await machineByHostname(DEMO_STORIES.repeatOffender.hostname);
  const statuses = m.history.map((h: any) => h.performance_status);
  assert.equal(statuses[0], "ok", "healthy at first");
  assert.ok(statuses.filter((s: string) => s === "underperforming").length >= 2, "again and again");
});

test("story: the repeat offender is suspect, its last two bad runs the evidence; only it", async () => {
  const m = await machineByHostname(DEMO_STORIES.repeatOffender.hostname);
  assert.equal(m.health.state, "suspect");
  const bad = m.history.filter((h: any) => h.performance_status === "underperforming").map((h: any) => h.task_id);
  assert.equal(m.health.evidence.original.task_id, bad.at(-2));
  assert.equal(m.health.evidence.confirmation.task_id, bad.at(-1));
  assert.deepEqual(
    m.health.history.map((h: any) => [h.kind, h.to_state]),
    [["suspect", "suspect"]],
  );
  const suspect = await api.get(`${V1}/machines?health_state=suspect`, { token });
  assert.deepEqual(
    suspect.body.results.map((r: any) => r.hostname),
    [DEMO_STORIES.repeatOffender.hostname],
  );
});

test("story: one slow link in the weekly cluster_network job", async () => {
  const job = await latestJob(`tags=weekly&tags=rack-12`);
  const links = job.tasks.flatMap((t: any) => t.benchmark_results.cluster_network?.results.measurements ?? []) as {
    source: string;
    target: string;
    bandwidth_gbps: number;
  }[];
  assert.equal(links.length, 8 * 7, "full mesh of the rack");
  const sorted = [...links].sort((a, b) => a.bandwidth_gbps - b.bandwidth_gbps);
  const median = sorted[links.length >> 1].bandwidth_gbps;
  const slow = links.filter((l) => l.bandwidth_gbps < 0.7 * median);
  const { from, to } = DEMO_STORIES.slowLink;
  assert.deepEqual(
    slow.map((l) => [l.source, l.target].sort().join("↔")),
    [`${from}↔${to}`, `${from}↔${to}`],
    "the one cable, both directions",
  );
});
