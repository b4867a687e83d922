// Fleet insight: the three references behind a verdict (fleet band, vendor spec, the machine's
// own history), the `regressed` verdict everywhere a performance status appears, and
// annotations that reset a machine's baseline. Fixtures: a real H200 quick_mark measurement.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { useFreshDatabase } from "./helpers/db";
import { api, V1 } from "./helpers/api";
import { signedInUser } from "./helpers/users";
import { H200_GPU0, H200_MODEL, runH200Job } from "./helpers/h200-node";
import { vendorSpec } from "../lib/performance/vendor-specs";
import { refreshFleetReferences } from "../lib/performance/references";
import { getDb } from "../lib/db/client";
import { COLORS } from "../lib/reports/pdf/document";
import { download } from "./helpers/download";
import { pdfPixelsOfColor, pdfText } from "./helpers/pdf";

let teardown: () => Promise<void>;
let aEng: Awaited<ReturnType<typeof signedInUser>>;
let bAdmin: Awaited<ReturnType<typeof signedInUser>>;
let machineId: number;
let steady: { jobId: string; taskId: string };
let drifted: { jobId: string; taskId: string };
const MACHINE = "h200-drifting-node";
// A stable history: the real figures within ±0.4 % run to run.
const STABLE = [1.0, 0.996, 1.004, 0.998, 1.002, 1.001, 0.997, 1.003];

const nodeOf = async (jobId: string) => {
  const res = await api.get(`${V1}/jobs/${jobId}/performance`, { token: aEng.token });
  assert.equal(res.status, 200, res.text);
  return { job: res.body, node: res.body.nodes[0] };
};

before(async () => {
  ({ teardown } = await useFreshDatabase());
  aEng = await signedInUser("user", "Insight A");
  bAdmin = await signedInUser("customer_admin", "Insight B");
  for (const [i, scale] of STABLE.entries())
    await runH200Job(aEng.token, { machineUuid: MACHINE, scale, name: `stable ${i}` });
  // The band refreshes at most once a minute as jobs end; a test does not wait for that.
  await refreshFleetReferences(await getDb(), [H200_MODEL], true);
  const list = await api.get(`${V1}/machines`, { token: aEng.token });
  machineId = list.body.results.find((m: any) => m.machine_uuid === MACHINE).id;
});
after(() => teardown());

test("a stable run is ok and explains itself with all three references", async () => {
  steady = await runH200Job(aEng.token, { machineUuid: MACHINE, scale: 1.001, name: "steady" });
  const { jobId } = steady;
  const { job, node } = await nodeOf(jobId);
  assert.equal(job.status, "ok");
  const bf16 = node.metrics.bf16_tflops;
  assert.equal(bf16.status, "ok");
  assert.equal(bf16.spec, vendorSpec(H200_MODEL)!.values.bf16_tflops);
  assert.ok(bf16.fleet.samples >= STABLE.length, JSON.stringify(bf16.fleet));
  assert.ok(bf16.fleet.mad > 0 && bf16.fleet.mad < H200_GPU0.bf16_tflops * 0.01, JSON.stringify(bf16.fleet));
  assert.equal(bf16.history.runs, STABLE.length + 0);
  assert.ok(
    Math.abs(bf16.history.median - H200_GPU0.bf16_tflops) < H200_GPU0.bf16_tflops * 0.002,
    JSON.stringify(bf16.history),
  );
  assert.equal(bf16.history.regressed, false);
  assert.match(bf16.reason, /within this machine's baseline/);
});

test("the fleet band covers only the configured window of recent runs", async () => {
  const db = await getDb();
  process.env.PERFORMANCE_FLEET_WINDOW_RUNS = "3";
  try {
    await refreshFleetReferences(db, [H200_MODEL], true);
    const band = await db.gpuReference.findUniqueOrThrow({
      where: { gpuModel_metric: { gpuModel: H200_MODEL, metric: "bf16_tflops" } },
    });
    assert.equal(band.samples, 3);
  } finally {
    delete process.env.PERFORMANCE_FLEET_WINDOW_RUNS;
    await refreshFleetReferences(db, [H200_MODEL], true);
  }
});

test("a 1.5 % dip is significant by z but below the minimum drop: not flagged", async () => {
  const { jobId } = await runH200Job(aEng.token, { machineUuid: MACHINE, scale: 0.985, name: "dip" });
  const { job, node } = await nodeOf(jobId);
  const bf16 = node.metrics.bf16_tflops;
  assert.ok(bf16.history.z <= -3.5, `z ${bf16.history.z}`);
  assert.ok(bf16.history.drop < 0.03);
  assert.equal(bf16.status, "ok");
  assert.equal(job.status, "ok");
});

test("a 5 % drop the fixed threshold accepts is flagged regressed by the history test", async () => {
  drifted = await runH200Job(aEng.token, { machineUuid: MACHINE, scale: 0.95, name: "drifted" });
  const { jobId } = drifted;
  const { job, node } = await nodeOf(jobId);
  const bf16 = node.metrics.bf16_tflops;
  assert.ok(bf16.ratio >= node.threshold, `ratio ${bf16.ratio} is above the fixed threshold`);
  assert.equal(bf16.status, "regressed");
  assert.ok(bf16.history.drop > 0.045 && bf16.history.drop < 0.055, JSON.stringify(bf16.history));
  assert.ok(bf16.history.z <= -3.5);
  assert.match(bf16.reason, /below this machine's baseline/);
  assert.equal(node.status, "regressed");
  assert.ok(node.regressed_metrics.includes("bf16_tflops"));
  assert.deepEqual(node.underperforming_metrics, []);
  assert.equal(job.status, "regressed");
  assert.equal(job.nodes_regressed, 1);

  // Everywhere a performance status appears: list filter, stats, machines, machine history.
  const listed = await api.get(`${V1}/jobs?performance_status=regressed`, { token: aEng.token });
  assert.deepEqual(
    listed.body.results.map((j: any) => j.id),
    [jobId],
  );
  assert.equal(listed.body.pagination.total, 1);
  const stats = await api.get(`${V1}/jobs/stats`, { token: aEng.token });
  assert.deepEqual(stats.body, { alert_job_count: 0, regressed_job_count: 1 });
  const machines = await api.get(`${V1}/machines?status=regressed`, { token: aEng.token });
  assert.deepEqual(
    machines.body.results.map((m: any) => m.machine_uuid),
    [MACHINE],
  );
  const machine = await api.get(`${V1}/machines/${machineId}`, { token: aEng.token });
  assert.equal(machine.body.last_performance_status, "regressed");
  const last = machine.body.history.at(-1);
  assert.ok(last.regressed_metrics.includes("bf16_tflops"));
  assert.equal(last.metrics.bf16_tflops.status, "regressed");
  assert.ok(last.metrics.bf16_tflops.baseline > last.metrics.bf16_tflops.value);
  // What the machine page draws: the fleet's noise band and the limit under the own baseline.
  const f = last.metrics.bf16_tflops;
  assert.equal(f.baseline_runs, bf16.history.runs);
  assert.ok(f.value <= f.baseline_limit && f.baseline_limit < f.baseline, JSON.stringify(f));
  const sigma = 1.4826 * f.fleet_mad;
  assert.ok(Math.abs(f.fleet_band.low - (f.fleet_median - 3 * sigma)) < 0.01, JSON.stringify(f));
  assert.ok(Math.abs(f.fleet_band.high - (f.fleet_median + 3 * sigma)) < 0.01, JSON.stringify(f));
  // The stable runs before it stayed above their limit.
  const earlier = machine.body.history.at(-2).metrics.bf16_tflops;
  assert.ok(earlier.value > earlier.baseline_limit, JSON.stringify(earlier));
  // Another customer neither sees it nor counts it.
  assert.equal((await api.get(`${V1}/jobs/stats`, { token: bAdmin.token })).body.regressed_job_count, 0);
});

test("PDF reports print regressed as its own verdict, in its own colour", async () => {
  const report = async (path: string) => {
    const res = await download(`${V1}${path}`, aEng.token);
    assert.equal(res.status, 200);
    return { text: pdfText(res.bytes), amber: pdfPixelsOfColor(res.bytes, COLORS.regressed) };
  };
  const node = await report(`/jobs/${drifted.jobId}/tasks/${drifted.taskId}/report.pdf`);
  assert.match(node.text, /Verdict: REGRESSED/);
  assert.match(node.text, /Regressed against its own baseline: bf16_tflops/);
  assert.match(node.text, /bf16_tflops [\d.]+ is [\d.]+ % below this machine's baseline/);
  // The reason's signs print in the built-in font's encoding, not as stray characters.
  assert.match(node.text, /z <= -3\.5 and drop >= 3 %/);
  assert.match(node.text, /BF16 Performance.*REGRESSED/);
  assert.ok(node.amber > 0, "the regressed verdict, cell and bar are amber");
  const job = await report(`/jobs/${drifted.jobId}/report.pdf`);
  assert.match(job.text, /Verdict: REGRESSED/);
  assert.match(job.text, /0 of 1 scored nodes underperforming, 1 regressed against their own baseline/);
  assert.ok(job.amber > 0);
  // Grey stays for "no verdict": an ok run's report has no amber at all.
  const ok = await report(`/jobs/${steady.jobId}/tasks/${steady.taskId}/report.pdf`);
  assert.match(ok.text, /Verdict: OK/);
  assert.equal(ok.amber, 0);
  assert.notEqual(COLORS.regressed, COLORS.unknown);
});

test("annotations: validated, visibility-scoped, and a reset starts the history test afresh", async () => {
  const bad = await api.post(`${V1}/machines/${machineId}/annotations`, { token: aEng.token, body: { text: "  " } });
  assert.equal(bad.status, 400, bad.text);
  assert.equal(bad.body.error.code, "PARAMETER_INCORRECT_VALUE");
  const foreign = await api.post(`${V1}/machines/${machineId}/annotations`, {
    token: bAdmin.token,
    body: { text: "not mine" },
  });
  assert.equal(foreign.status, 404, foreign.text);
  const note = await api.post(`${V1}/machines/${machineId}/annotations`, {
    token: aEng.token,
    body: { text: "replaced GPU 0 after the drop", resets_baseline: true },
  });
  assert.equal(note.status, 201, note.text);
  assert.equal(note.body.resets_baseline, true);

  // The same lower level after the reset is the new baseline's start: no history verdict yet.
  const { jobId } = await runH200Job(aEng.token, { machineUuid: MACHINE, scale: 0.95, name: "after reset" });
  const { job, node } = await nodeOf(jobId);
  assert.equal(node.metrics.bf16_tflops.history, null);
  assert.match(node.metrics.bf16_tflops.reason, /fewer than 5 earlier runs/);
  assert.equal(job.status, "ok");
  const machine = await api.get(`${V1}/machines/${machineId}`, { token: aEng.token });
  assert.deepEqual(
    machine.body.annotations.map((a: any) => [a.text, a.resets_baseline]),
    [["replaced GPU 0 after the drop", true]],
  );
  assert.equal((await api.get(`${V1}/machines/${machineId}`, { token: bAdmin.token })).status, 404);
});

test("per-GPU verdicts: one slow GPU of eight makes the node underperforming and is named", async () => {
  const { jobId } = await runH200Job(aEng.token, {
    machineUuid: "h200-eight-gpus",
    gpuCount: 8,
    gpuScale: (i) => (i === 3 ? 0.71 : 1),
    name: "one slow gpu",
  });
  const { job, node } = await nodeOf(jobId);
  // The node's mean alone (≈ 96 %) would pass the threshold.
  assert.ok(node.metrics.bf16_tflops.ratio >= node.threshold, `mean ratio ${node.metrics.bf16_tflops.ratio}`);
  assert.equal(node.status, "underperforming");
  assert.equal(job.status, "underperforming");
  assert.equal(node.gpus.length, 8);
  assert.deepEqual(
    node.gpus.filter((g: any) => g.status === "underperforming").map((g: any) => g.gpu_index),
    [3],
  );
  assert.equal(node.slow_gpus.length, 1);
  assert.match(
    node.slow_gpus[0],
    /^GPU 3: (bf16_tflops|fp16_tflops|memory_bandwidth_gbs) 7\d(\.\d)? % of (fleet median|vendor spec)$/,
  );
  const machines = await api.get(`${V1}/machines?status=underperforming`, { token: aEng.token });
  const m = machines.body.results.find((x: any) => x.machine_uuid === "h200-eight-gpus");
  const detail = await api.get(`${V1}/machines/${m.id}`, { token: aEng.token });
  assert.deepEqual(detail.body.history.at(-1).slow_gpus, node.slow_gpus);
});

test("fleet heatmap: per GPU model, machines × key metrics as ratios to the fleet median, scoped", async () => {
  const res = await api.get(`${V1}/machines/heatmap`, { token: aEng.token });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.body.metrics, ["bf16_tflops", "fp16_tflops", "memory_bandwidth_gbs"]);
  const h200 = res.body.gpu_models.find((g: any) => g.gpu_model === H200_MODEL);
  assert.equal(h200.reference.bf16_tflops.source, "fleet");
  assert.deepEqual(h200.machines.map((m: any) => m.machine_uuid).sort(), ["h200-drifting-node", "h200-eight-gpus"]);
  const drifting = h200.machines.find((m: any) => m.machine_uuid === "h200-drifting-node");
  // Its latest run is the 95 % one after the baseline reset.
  assert.ok(Math.abs(drifting.cells.bf16_tflops.ratio - 0.95) < 0.01, JSON.stringify(drifting.cells));
  assert.equal(drifting.id, machineId);
  assert.equal(h200.machine_count, 2);
  const one = await api.get(`${V1}/machines/heatmap?per_model=1`, { token: aEng.token });
  const h200One = one.body.gpu_models.find((g: any) => g.gpu_model === H200_MODEL);
  assert.deepEqual([h200One.machines.length, h200One.machine_count], [1, 2], "the most recent one of two");
  const filtered = await api.get(`${V1}/machines/heatmap?gpu_model=${encodeURIComponent("NVIDIA L40S")}`, {
    token: aEng.token,
  });
  assert.deepEqual(filtered.body.gpu_models, []);
  assert.deepEqual((await api.get(`${V1}/machines/heatmap`, { token: bAdmin.token })).body.gpu_models, []);
  assert.equal((await api.get(`${V1}/machines/heatmap?per_model=0`, { token: aEng.token })).status, 400);
});
