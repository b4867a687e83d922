// PDF reports rendered from a job run by simulated agents, read back with pdftotext.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { useFreshDatabase } from "./helpers/db";
import { api, V1 } from "./helpers/api";
import { signedInUser } from "./helpers/users";
import { download } from "./helpers/download";
import { pdfText } from "./helpers/pdf";
import { runSimulatedJob } from "./helpers/simulated-job";

let teardown: () => Promise<void>;
let eng: Awaited<ReturnType<typeof signedInUser>>;
let job: any;

before(async () => {
  ({ teardown } = await useFreshDatabase());
  eng = await signedInUser("customer_admin", "Report Co");
  job = await runSimulatedJob(eng.token, { name: "report-run", node_count: 3, benchmarks: ["quick_mark", "cluster_network"], tags: ["pdf"] }, { gpuModel: "NVIDIA A100-SXM4-80GB", degraded: 1, seed: 21 });
});
after(() => teardown());

const fixed = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(2));

test("job detail links the reports with absolute URLs", async () => {
  assert.equal(job.state, "completed");
  assert.equal(job.pdf_report_url, `http://localhost${V1}/jobs/${job.id}/report.pdf`);
  for (const t of job.tasks) assert.equal(t.pdf_report_url, `http://localhost${V1}/jobs/${job.id}/tasks/${t.id}/report.pdf`);
});

test("node report shows the machine, its quick_mark figures and the verdict against the reference", async () => {
  const list = await api.get(`${V1}/jobs?name=report-run&include=performance,performance_nodes`, { token: eng.token });
  const perfNodes = list.body.results[0].performance_nodes as any[];
  for (const t of job.tasks) {
    const res = await download(new URL(t.pdf_report_url).pathname, eng.token);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "application/pdf");
    assert.match(res.headers.get("content-disposition")!, new RegExp(`inline; filename="job-${job.id}-task-${t.id}-report.pdf"`));
    if (process.env.REPORTS_DUMP) (await import("node:fs")).writeFileSync(`${process.env.REPORTS_DUMP}/${res.headers.get("content-disposition")!.match(/filename="(.*)"/)![1]}`, res.bytes);
    const text = pdfText(res.bytes);
    assert.match(text, /Node report/);
    assert.ok(text.includes(t.machine_uuid), "machine uuid");
    assert.ok(text.includes(t.machine_ip), "machine ip");
    assert.ok(text.includes("Report Co"), "customer");
    assert.ok(text.includes(`${t.gpu_model} x ${t.gpu_count}`), "GPU model x count");
    const agg = t.benchmark_results.quick_mark.results.aggregate_results;
    assert.ok(text.includes(fixed(agg.bf16_tflops)), `node total bf16 ${agg.bf16_tflops}`);
    assert.match(text, /BF16 Tensor/);
    assert.match(text, /TFLOPS/);
    const perf = perfNodes.find((p) => p.task_id === t.id);
    const bf16 = perf.metrics.bf16_tflops;
    assert.ok(text.includes(fixed(bf16.value)), `per-GPU bf16 ${bf16.value}`);
    assert.ok(text.includes(fixed(bf16.reference)), `reference ${bf16.reference}`);
    assert.ok(text.includes(`${(bf16.ratio * 100).toFixed(1)}%`), "ratio");
    assert.ok(text.includes(`Verdict: ${perf.status.toUpperCase()}`), `verdict ${perf.status}`);
  }
});

test("job report shows every node, the roll-up verdict and the cluster network figures", async () => {
  const res = await download(`${V1}/jobs/${job.id}/report.pdf`, eng.token);
  assert.equal(res.status, 200);
  if (process.env.REPORTS_DUMP) (await import("node:fs")).writeFileSync(`${process.env.REPORTS_DUMP}/job.pdf`, res.bytes);
  const text = pdfText(res.bytes);
  assert.ok(text.includes("report-run") && text.includes(job.id));
  assert.match(text, /Verdict: UNDERPERFORMING/);
  assert.match(text, /1 of 3 scored nodes underperforming/);
  for (const t of job.tasks) assert.ok(text.includes(t.machine_uuid));
  const cn = job.benchmark_results.cluster_network.results;
  assert.ok(text.includes(fixed(cn.avg_bandwidth_gbps)), "avg bandwidth");
  assert.ok(text.includes(fixed(cn.min_bandwidth_gbps)), "min bandwidth");
  assert.match(text, /Average Bandwidth/);
  assert.match(text, /Cluster network bandwidth by source node/);
  const qm = job.benchmark_results.quick_mark.results;
  assert.ok(text.includes(fixed(qm.bf16_tflops)), "job total bf16");
});

test("reports of jobs without results, unknown tasks and bad ids", async () => {
  const fresh = (await api.post(`${V1}/jobs`, { token: eng.token, body: { name: "empty", benchmarks: ["quick_mark"] } })).body;
  const empty = await download(`${V1}/jobs/${fresh.id}/report.pdf`, eng.token);
  assert.equal(empty.status, 200);
  assert.match(pdfText(empty.bytes), /No node joined this job/);
  const missingTask = await api.get(`${V1}/jobs/${job.id}/tasks/1/report.pdf`, { token: eng.token });
  assert.equal(missingTask.status, 404);
  assert.equal(missingTask.body.error.code, "RESOURCE_NOT_FOUND");
  // A task of another job is not reachable through this job's path.
  assert.equal((await api.get(`${V1}/jobs/${fresh.id}/tasks/${job.tasks[0].id}/report.pdf`, { token: eng.token })).status, 404);
  assert.equal((await api.get(`${V1}/jobs/abc/report.pdf`, { token: eng.token })).status, 400);
  assert.equal((await api.get(`${V1}/jobs/${job.id}/tasks/x/report.pdf`, { token: eng.token })).status, 400);
  assert.equal((await api.get(`${V1}/jobs/${job.id}/report.pdf`)).status, 401);
});
