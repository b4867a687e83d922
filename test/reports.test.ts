// PDF reports rendered from a job run by simulated agents, read back with pdftotext.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { useFreshDatabase } from "./helpers/db";
import { api, V1 } from "./helpers/api";
import { signedInUser, type SignedInUser } from "./helpers/users";
import { download } from "./helpers/download";
import { pdfText } from "./helpers/pdf";
import { runSimulatedJob } from "./helpers/simulated-job";
import { untarGz } from "./helpers/untar";
import { startHttpServer } from "./helpers/http-server";
import { execFileSync } from "node:child_process";

let teardown: () => Promise<void>;
let eng: SignedInUser;
let job: any;

before(async () => {
  ({ teardown } = await useFreshDatabase());
  eng = await signedInUser("customer_admin", "Report Co");
  job = await runSimulatedJob(
    eng.token,
    { name: "report-run", node_count: 3, benchmarks: ["quick_mark", "cluster_network"], tags: ["pdf"] },
    { gpuModel: "NVIDIA A100-SXM4-80GB", degraded: 1, seed: 21 },
  );
});
after(() => teardown());

const fixed = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(2));

test("job detail links the reports with absolute URLs", async () => {
  assert.equal(job.state, "completed");
  assert.equal(job.pdf_report_url, `http://localhost${V1}/jobs/${job.id}/report.pdf`);
  for (const t of job.tasks)
    assert.equal(t.pdf_report_url, `http://localhost${V1}/jobs/${job.id}/tasks/${t.id}/report.pdf`);
});

test("node report shows the machine, its quick_mark figures and the verdict against the reference", async () => {
  const list = await api.get(`${V1}/jobs?name=report-run&include=performance,performance_nodes`, { token: eng.token });
  const perfNodes = list.body.results[0].performance_nodes as any[];
  for (const t of job.tasks) {
    const res = await download(new URL(t.pdf_report_url).pathname, eng.token);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "application/pdf");
    assert.match(
      res.headers.get("content-disposition")!,
      new RegExp(`inline; filename="job-${job.id}-task-${t.id}-report.pdf"`),
    );
    const text = pdfText(res.bytes);
    assert.match(text, /Node report/);
    assert.ok(text.includes(t.machine_uuid), "machine uuid");
    assert.ok(text.includes(t.machine_ip), "machine ip");
    assert.ok(text.includes("Report Co"), "customer");
    assert.ok(text.includes(`${t.gpu_model} × ${t.gpu_count}`), "GPU model × count");
    const agg = t.benchmark_results.quick_mark.results.aggregate_results;
    assert.ok(text.includes(fixed(agg.bf16_tflops)), `node total bf16 ${agg.bf16_tflops}`);
    assert.match(text, /BF16 Performance/);
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
  const fresh = (
    await api.post(`${V1}/jobs`, { token: eng.token, body: { name: "empty", benchmarks: ["quick_mark"] } })
  ).body;
  const empty = await download(`${V1}/jobs/${fresh.id}/report.pdf`, eng.token);
  assert.equal(empty.status, 200);
  assert.match(pdfText(empty.bytes), /No node joined this job/);
  const missingTask = await api.get(`${V1}/jobs/${job.id}/tasks/1/report.pdf`, { token: eng.token });
  assert.equal(missingTask.status, 404);
  assert.equal(missingTask.body.error.code, "RESOURCE_NOT_FOUND");
  // A task of another job is not reachable through this job's path.
  assert.equal(
    (await api.get(`${V1}/jobs/${fresh.id}/tasks/${job.tasks[0].id}/report.pdf`, { token: eng.token })).status,
    404,
  );
  assert.equal((await api.get(`${V1}/jobs/abc/report.pdf`, { token: eng.token })).status, 400);
  assert.equal((await api.get(`${V1}/jobs/${job.id}/tasks/x/report.pdf`, { token: eng.token })).status, 400);
  assert.equal((await api.get(`${V1}/jobs/${job.id}/report.pdf`)).status, 401);
});

test("results.tar.gz holds every result as JSON, node logs and the PDF reports", async () => {
  const res = await download(`${V1}/jobs/${job.id}/results.tar.gz`, eng.token);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "application/gzip");
  assert.equal(res.headers.get("content-disposition"), `attachment; filename="job-${job.id}-results.tar.gz"`);
  const files = await untarGz(res.bytes);
  const root = `job-${job.id}`;
  const nodeDirs = job.tasks.map((t: any) => {
    const host = JSON.parse(
      files
        .get([...files.keys()].find((k) => k.startsWith(`${root}/nodes/${t.id}_`) && k.endsWith("/task.json"))!)!
        .toString(),
    ).hostname;
    return `${root}/nodes/${t.id}_${host}`;
  });
  const expected = [
    `${root}/job.json`,
    `${root}/results/quick_mark.json`,
    `${root}/results/cluster_network.json`,
    `${root}/report.pdf`,
    ...nodeDirs.flatMap((d: string) => [
      `${d}/task.json`,
      `${d}/results/quick_mark.json`,
      `${d}/results/cluster_network.json`,
      `${d}/logs.txt`,
      `${d}/report.pdf`,
    ]),
  ];
  assert.deepEqual([...files.keys()].sort(), expected.sort());
  // The JSON files hold the stored results, exactly as the API serves them.
  const jobLevel = JSON.parse(files.get(`${root}/results/cluster_network.json`)!.toString());
  assert.deepEqual(jobLevel.results, job.benchmark_results.cluster_network.results);
  const t0 = job.tasks[0];
  const nodeQm = JSON.parse(files.get(`${nodeDirs[0]}/results/quick_mark.json`)!.toString());
  assert.deepEqual(nodeQm.results, t0.benchmark_results.quick_mark.results);
  assert.equal(nodeQm.task_id, t0.id);
  assert.equal(nodeQm.display_names.bf16_tflops, "BF16 Performance (TFLOPS)");
  const jobJson = JSON.parse(files.get(`${root}/job.json`)!.toString());
  assert.equal(jobJson.id, job.id);
  assert.equal(jobJson.token, undefined, "the job token stays out of the archive");
  assert.match(files.get(`${nodeDirs[0]}/logs.txt`)!.toString(), /quick_mark on 8× NVIDIA A100-SXM4-80GB/);
  assert.match(pdfText(files.get(`${root}/report.pdf`)!), /Job report/);
  assert.ok(pdfText(files.get(`${nodeDirs[1]}/report.pdf`)!).includes(job.tasks[1].machine_uuid));
  // The system tar reads it too.
  const listing = execFileSync("tar", ["-tzf", "-"], { input: res.bytes }).toString().trim().split("\n");
  assert.deepEqual(listing.sort(), expected.sort());
});

test("results.tar.gz for one node (task_id) and over real HTTP", async () => {
  const server = await startHttpServer();
  try {
    const t = job.tasks[2];
    const res = await fetch(`${server.url}${V1}/jobs/${job.id}/results.tar.gz?task_id=${t.id}`, {
      headers: { authorization: `Bearer ${eng.token}` },
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-disposition")!, new RegExp(`job-${job.id}-task-${t.id}-results.tar.gz`));
    const names = [...(await untarGz(Buffer.from(await res.arrayBuffer()))).keys()];
    assert.equal(names.length, 5);
    assert.ok(
      names.every((n) => n.startsWith(`job-${job.id}/nodes/${t.id}_`)),
      names.join(),
    );
  } finally {
    await server.close();
  }
  assert.equal((await api.get(`${V1}/jobs/${job.id}/results.tar.gz?task_id=1`, { token: eng.token })).status, 404);
  assert.equal((await api.get(`${V1}/jobs/${job.id}/results.tar.gz?task_id=x`, { token: eng.token })).status, 400);
  assert.equal((await api.get(`${V1}/jobs/99/results.tar.gz`, { token: eng.token })).status, 404);
});
