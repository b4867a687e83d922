// SiliconMark compatibility: requests and responses as the vendor documents them
// (docs/compatibility.md lists what each test reproduces). Each test names the vendor's doc section.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { useFreshDatabase } from "./helpers/db";
import { api, V1 } from "./helpers/api";
import { signedInUser } from "./helpers/users";
import { pdfText } from "./helpers/pdf";
import { download } from "./helpers/download";

let teardown: () => Promise<void>;
let eng: Awaited<ReturnType<typeof signedInUser>>;
let other: Awaited<ReturnType<typeof signedInUser>>;

// A vendor-shaped quick_mark upload: per-GPU rows keyed gpu_id/gpu_model, and aggregates
// (totals, efficiency, collective bandwidths, GPU↔GPU matrix) as the benchmarks page shows them.
const gpuRow = (i: number) => ({
  gpu_id: `GPU-${i}a2b3c4d-0000-4000-8000-00000000000${i}`,
  gpu_model: "NVIDIA A100-SXM4-80GB",
  bf16_tflops: 156.8,
  fp16_tflops: 78.5,
  fp32_tflops: 39.2,
  fp32_cuda_core_tflops: 19.5,
  mixed_precision_tflops: 312.4,
  l2_bandwidth_gbs: 3890.5,
  memory_bandwidth_gbs: 1935.4,
  temperature_centigrade: 65 + i,
  power_consumption_watts: 340 + i * 10,
  kernel_launch_overhead_us: 12.5,
  device_to_host_bandwidth_gbs: 24.8,
  host_to_device_bandwidth_gbs: 25.2,
});
const vendorQuickmark = {
  test_results: [gpuRow(0), gpuRow(1)],
  aggregate_results: {
    allreduce_bandwidth_gbs: 180.5,
    broadcast_bandwidth_gbs: 175.3,
    gpu_bandwidth_matrix: [
      { source_gpu: 0, target_gpu: 1, duplex_gbs: 450.2, simplex_gbs: 225.1, connection_type: "NVLink" },
      { source_gpu: 1, target_gpu: 0, duplex_gbs: 449.8, simplex_gbs: 224.9, connection_type: "NVLink" },
    ],
  },
};

async function createJob(body: Record<string, unknown>, token = eng.token) {
  const res = await api.post(`${V1}/jobs`, { token, body });
  assert.equal(res.status, 201, res.text);
  return res.body;
}

/** One node through the agent protocol: register, upload the given quick_mark, finish. */
async function runNode(
  job: { token: string },
  machine: { uuid: string; ip: string; inventory?: Record<string, unknown> },
  quickmark: Record<string, unknown>,
) {
  const reg = await api.post(`${V1}/jobs/current/tasks`, {
    token: job.token,
    body: {
      machine_uuid: machine.uuid,
      machine_ip: machine.ip,
      gpu_model: "NVIDIA A100-SXM4-80GB",
      gpu_count: 2,
      gpu_memory_gb: 80,
      inventory: machine.inventory ?? { driver_version: "550.90.07", cuda_version: "12.4" },
    },
  });
  assert.ok(reg.status === 201 || reg.status === 200, reg.text);
  const taskId = reg.body.id as string;
  const up = await api.post(`${V1}/jobs/current/tasks/${taskId}/results`, {
    token: job.token,
    body: { benchmark_id: "quick_mark", state: "completed", results: quickmark },
  });
  assert.equal(up.status, 201, up.text);
  const fin = await api.post(`${V1}/jobs/current/tasks/${taskId}/finish`, {
    token: job.token,
    body: { state: "completed" },
  });
  assert.equal(fin.status, 200, fin.text);
  return taskId;
}

let vendorJob: any;
let taskIds: string[];

before(async () => {
  ({ teardown } = await useFreshDatabase());
  eng = await signedInUser("user", "Compat Co");
  other = await signedInUser("user", "Other Co");
  vendorJob = await createJob({ name: "vendor-shaped", benchmarks: ["quick_mark"], node_count: 2, tags: ["compat"] });
  taskIds = [
    await runNode(vendorJob, { uuid: "3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", ip: "10.0.0.11" }, vendorQuickmark),
    await runNode(vendorJob, { uuid: "node-b", ip: "10.0.0.12" }, vendorQuickmark),
  ];
  const foreign = await createJob({ name: "foreign", benchmarks: ["quick_mark"] }, other.token);
  await runNode(foreign, { uuid: "foreign-node", ip: "10.9.9.9" }, vendorQuickmark);
});
after(() => teardown());

describe("Tasks API — List tasks", () => {
  test("answers {data, pagination{page, per_page, total, pages}} with string ids, newest first", async () => {
    const res = await api.get(`${V1}/tasks`, { token: eng.token });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(Object.keys(res.body).sort(), ["data", "pagination"]);
    assert.deepEqual(res.body.pagination, { page: 1, per_page: 20, total: 2, pages: 1 });
    assert.deepEqual(
      res.body.data.map((t: any) => t.id),
      [...taskIds].reverse(),
      "only the caller's tasks, created_at desc",
    );
    const t = res.body.data[0];
    for (const k of [
      "id",
      "job_id",
      "machine_uuid",
      "machine_ip",
      "state",
      "failed_message",
      "created_at",
      "started_at",
      "ended_at",
      "gpu_model",
      "gpu_count",
      "pdf_report_url",
    ])
      assert.ok(k in t, k);
    assert.equal(typeof t.id, "string");
    assert.equal(t.job_id, vendorJob.id);
    assert.equal(t.benchmark_results, undefined, "results only with include_results");
  });

  test("filters job_id, state, machine_ip, machine_uuid; sort_order; per_page and page", async () => {
    const q = async (qs: string) => (await api.get(`${V1}/tasks?${qs}`, { token: eng.token })).body;
    assert.equal((await q(`job_id=${vendorJob.id}`)).pagination.total, 2);
    assert.equal((await q("job_id=1")).pagination.total, 0);
    assert.equal((await q("state=completed")).pagination.total, 2);
    assert.equal((await q("state=running")).pagination.total, 0);
    assert.deepEqual(
      (await q("machine_ip=10.0.0.12")).data.map((t: any) => t.id),
      [taskIds[1]],
    );
    assert.deepEqual(
      (await q("machine_uuid=3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d")).data.map((t: any) => t.id),
      [taskIds[0]],
    );
    assert.equal((await q("machine_uuid=foreign-node")).pagination.total, 0, "another customer's task stays invisible");
    assert.deepEqual(
      (await q("sort_by=created_at&sort_order=asc")).data.map((t: any) => t.id),
      taskIds,
    );
    const page2 = await q("per_page=1&page=2");
    assert.deepEqual(page2.pagination, { page: 2, per_page: 1, total: 2, pages: 2 });
    assert.deepEqual(
      page2.data.map((t: any) => t.id),
      [taskIds[0]],
    );
  });

  test("include_results adds benchmark_results keyed by benchmark id", async () => {
    const res = await api.get(`${V1}/tasks?include_results=true&per_page=1`, { token: eng.token });
    const qm = res.body.data[0].benchmark_results.quick_mark;
    assert.equal(qm.benchmark_id, "quick_mark");
    assert.equal(qm.results.aggregate_results.allreduce_bandwidth_gbs, 180.5);
  });

  test("visible exactly when the job is: the customer admin sees it, a colleague does not, a deleted job's tasks vanish", async () => {
    const admin = await signedInUser("customer_admin", "Compat Co");
    const colleague = await signedInUser("user", "Compat Co");
    const count = async (token: string, qs = "") =>
      (await api.get(`${V1}/tasks?${qs}`, { token })).body.pagination.total;
    assert.equal(await count(admin.token, `job_id=${vendorJob.id}`), 2);
    assert.equal(await count(colleague.token, `job_id=${vendorJob.id}`), 0);
    const gone = await createJob({ name: "to delete", benchmarks: ["quick_mark"] });
    await runNode(gone, { uuid: "node-gone", ip: "10.0.0.99" }, vendorQuickmark);
    assert.equal(await count(eng.token, `job_id=${gone.id}`), 1);
    const del = await api.delete(`${V1}/jobs/delete`, { token: eng.token, body: { id: gone.id } });
    assert.equal(del.status, 200, del.text);
    assert.equal(await count(eng.token, `job_id=${gone.id}`), 0);
    assert.equal(await count(admin.token, "machine_uuid=node-gone"), 0);
  });

  test("bad values and per_page over 300 are 400s naming the parameter", async () => {
    for (const qs of [
      "per_page=301",
      "page=0",
      "state=bogus",
      "sort_by=name",
      "sort_order=up",
      "job_id=x",
      "include_results=maybe",
    ]) {
      const res = await api.get(`${V1}/tasks?${qs}`, { token: eng.token });
      assert.equal(res.status, 400, qs);
      assert.equal(res.body.error.code, "PARAMETER_INCORRECT_VALUE");
      assert.match(res.body.error.message, new RegExp(qs.split("=")[0]), qs);
    }
    assert.equal((await api.get(`${V1}/tasks`)).status, 401);
  });
});

describe("Tasks API — Get task results", () => {
  test("the result summary: manufacturer_gpu_spec, company_name, machine_id, configuration_id", async () => {
    const res = await api.get(`${V1}/tasks/${taskIds[0]}/results`, { token: eng.token });
    assert.equal(res.status, 200, res.text);
    const spec = res.body.manufacturer_gpu_spec;
    assert.equal(spec.compute_capability, "8.0");
    assert.equal(spec.memory_bandwidth, "2039 GB/s");
    assert.equal(spec.fp32_tflops, 19.5);
    assert.ok(spec.source.length > 10, "the datasheet figures name their source");
    assert.equal(res.body.company_name, "Compat Co");
    assert.equal(res.body.machine_id, "3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", "a UUID machine id is passed through");
    assert.match(res.body.configuration_id, /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(res.body.benchmark_results.quick_mark.results.aggregate_results.broadcast_bandwidth_gbs, 175.3);
    assert.equal(res.body.benchmark_results.quick_mark.display_names, undefined);
  });

  test("configuration_id groups identical configurations; machine_id is UUID-shaped for any agent id", async () => {
    const [a, b] = await Promise.all(
      taskIds.map(async (id) => (await api.get(`${V1}/tasks/${id}/results`, { token: eng.token })).body),
    );
    assert.equal(a.configuration_id, b.configuration_id, "same GPU, count, driver and CUDA");
    assert.match(b.machine_id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const job = await createJob({ name: "other-driver", benchmarks: ["quick_mark"] });
    const t = await runNode(
      job,
      { uuid: "node-c", ip: "10.0.0.13", inventory: { driver_version: "570.124.06", cuda_version: "12.8" } },
      vendorQuickmark,
    );
    const c = (await api.get(`${V1}/tasks/${t}/results`, { token: eng.token })).body;
    assert.notEqual(c.configuration_id, a.configuration_id, "another driver is another configuration");
  });

  test("include_display_name (singular) adds display names; unknown or foreign tasks are 404", async () => {
    const res = await api.get(`${V1}/tasks/${taskIds[0]}/results?include_display_name=true`, { token: eng.token });
    assert.equal(res.body.benchmark_results.quick_mark.display_names.fp32_tflops, "FP32 Performance (TFLOPS)");
    assert.equal((await api.get(`${V1}/tasks/${taskIds[0]}/results`, { token: other.token })).status, 404);
    assert.equal((await api.get(`${V1}/tasks/1/results`, { token: eng.token })).status, 404);
    assert.equal((await api.get(`${V1}/tasks/abc/results`, { token: eng.token })).status, 400);
    const plural = await api.get(`${V1}/tasks/${taskIds[0]}/results?include_display_names=true`, { token: eng.token });
    assert.equal(plural.status, 400, "the job endpoint's plural spelling is not silently ignored here");
  });
});

describe("Jobs API (older page) — List jobs: tag", () => {
  test("tag filters like tags instead of being dropped", async () => {
    await createJob({ name: "untagged", benchmarks: ["quick_mark"] });
    const all = await api.get(`${V1}/jobs`, { token: eng.token });
    const tagged = await api.get(`${V1}/jobs?tag=compat`, { token: eng.token });
    assert.equal(tagged.status, 200, tagged.text);
    assert.ok(all.body.pagination.total > 1);
    assert.deepEqual(
      tagged.body.results.map((j: any) => j.id),
      [vendorJob.id],
    );
    const both = await api.get(`${V1}/jobs?tag=compat&tags=nope`, { token: eng.token });
    assert.equal(both.body.pagination.total, 0, "tag and tags combine: all must match");
    const stats = await api.get(`${V1}/jobs/stats?tag=compat`, { token: eng.token });
    assert.equal(stats.status, 200, stats.text);
    const csv = await api.get(`${V1}/jobs/export?tag=compat&format=json`, { token: eng.token });
    assert.deepEqual(
      JSON.parse(csv.text).map((j: any) => j.id),
      [vendorJob.id],
    );
  });
});

describe("Compatibility policy — unknown parameters", () => {
  test("every list and detail endpoint answers 400 naming an unknown parameter", async () => {
    const paths = [
      "/jobs",
      "/jobs/stats",
      "/jobs/tags",
      "/jobs/summary",
      "/jobs/export",
      "/benchmarks",
      "/tasks",
      `/jobs/${vendorJob.id}`,
      `/jobs/${vendorJob.id}/results`,
      `/jobs/${vendorJob.id}/performance`,
      `/jobs/${vendorJob.id}/logs`,
      `/tasks/${taskIds[0]}/results`,
      "/machines",
      "/users",
    ];
    for (const p of paths) {
      const res = await api.get(`${V1}${p}?bogus_filter=1`, { token: eng.token });
      assert.equal(res.status, 400, `${p}: ${res.text}`);
      assert.match(res.body.error.message, /bogus_filter/, p);
      assert.deepEqual(res.body.error.details, [{ field: "bogus_filter", message: "Unknown query parameter" }], p);
    }
  });
});

describe("Jobs API (older page) — Get job: include_tasks, include_results", () => {
  test("both default to true; false leaves the part out", async () => {
    const full = (await api.get(`${V1}/jobs/${vendorJob.id}`, { token: eng.token })).body;
    assert.equal(full.tasks.length, 2);
    assert.ok(full.benchmark_results.quick_mark);
    const explicit = (
      await api.get(`${V1}/jobs/${vendorJob.id}?include_tasks=true&include_results=true`, { token: eng.token })
    ).body;
    assert.deepEqual(explicit, full);
    const noTasks = (await api.get(`${V1}/jobs/${vendorJob.id}?include_tasks=false`, { token: eng.token })).body;
    assert.equal(noTasks.tasks, undefined);
    assert.ok(noTasks.benchmark_results.quick_mark);
    const noResults = (await api.get(`${V1}/jobs/${vendorJob.id}?include_results=false`, { token: eng.token })).body;
    assert.equal(noResults.benchmark_results, undefined);
    assert.equal(noResults.tasks.length, 2);
    assert.equal(noResults.tasks[0].benchmark_results, undefined, "nodes' results are left out too");
    assert.equal((await api.get(`${V1}/jobs/${vendorJob.id}?include_tasks=nope`, { token: eng.token })).status, 400);
  });
});

describe("Jobs API (older page) — Create job example", () => {
  test('{"benchmark_id":"cluster_network","config":{"timeout":300}} creates a job', async () => {
    const res = await api.post(`${V1}/jobs`, {
      token: eng.token,
      body: {
        name: "vendor example",
        node_count: 2,
        benchmarks: [{ benchmark_id: "cluster_network", config: { timeout: 300 } }],
      },
    });
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(res.body.benchmark_sequence.find((s: any) => s.benchmark_id === "cluster_network").config, {
      timeout: 300,
    });
  });

  test("timeout is bounded and every benchmark takes it; unknown keys are named", async () => {
    for (const id of ["quick_mark", "cluster_network", "inference", "llama3_inference_nim", "llama3_finetune_nemo"]) {
      const ok = await api.post(`${V1}/jobs`, {
        token: eng.token,
        body: { name: `timeout ${id}`, node_count: 2, benchmarks: [{ benchmark_id: id, config: { timeout: 600 } }] },
      });
      assert.equal(ok.status, 201, `${id}: ${ok.text}`);
    }
    const tooLong = await api.post(`${V1}/jobs`, {
      token: eng.token,
      body: { benchmarks: [{ benchmark_id: "quick_mark", config: { timeout: 10 ** 7 } }] },
    });
    assert.equal(tooLong.status, 400);
    assert.match(tooLong.body.error.message, /timeout/);
    const unknown = await api.post(`${V1}/jobs`, {
      token: eng.token,
      body: { benchmarks: [{ benchmark_id: "cluster_network", config: { timeout: 300, warp_speed: 9 } }] },
    });
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.error.message, /warp_speed/);
  });
});

describe("SiliconMark Benchmarks — QuickMark result structure (vendor-shaped upload)", () => {
  test("per-GPU identity is normalised and missing aggregates are computed from test_results", async () => {
    const detail = (await api.get(`${V1}/jobs/${vendorJob.id}`, { token: eng.token })).body;
    assert.equal(detail.state, "completed");
    const node = detail.tasks[0].benchmark_results.quick_mark.results;
    assert.deepEqual(
      node.test_results.map((r: any) => [r.gpu_index, r.gpu_name, r.gpu_id.slice(0, 5)]),
      [
        [0, "NVIDIA A100-SXM4-80GB", "GPU-0"],
        [1, "NVIDIA A100-SXM4-80GB", "GPU-1"],
      ],
    );
    const job = detail.benchmark_results.quick_mark.results;
    // Two nodes × two GPUs × 78.5 FP16 TFLOPS; peak power 350 W per node.
    assert.equal(job.total_fp16_tflops, 314);
    assert.equal(job.total_fp32_tflops, 156.8);
    assert.equal(job.fp16_tflops_per_peak_watt, 0.449);
    assert.equal(job.allreduce_bandwidth_gbs, 180.5);
    assert.equal(job.broadcast_bandwidth_gbs, 175.3);
    assert.equal(job.avg_temperature, 65.5);
    assert.equal(job.bf16_tflops, 627.2, "per-GPU metrics summed although the agent sent no per-metric aggregate");
    assert.equal(job.memory_bandwidth_gbs, 7741.6);
  });

  test("the aggregates appear in the job's PDF report", async () => {
    const res = await download(`${V1}/jobs/${vendorJob.id}/report.pdf`, eng.token);
    assert.equal(res.status, 200);
    const text = pdfText(res.bytes);
    assert.match(text, /Total FP16 Performance/);
    assert.match(text, /314/);
    assert.match(text, /All-Reduce Bandwidth/);
    assert.match(text, /FP16 Performance per Peak Watt/);
    assert.match(text, /GPU-to-GPU Bandwidth/);
    assert.match(text, /NVLink/);
  });
});

describe("SiliconMark Benchmarks — Inference, Llama 3 Inference (NIM), Llama 3 Fine-Tuning (NeMo)", () => {
  test("catalogued with result fields and units, run like any benchmark, rolled up per job", async () => {
    const catalog = (await api.get(`${V1}/benchmarks`, { token: eng.token })).body.benchmarks;
    const nemo = catalog.find((b: any) => b.id === "llama3_finetune_nemo");
    assert.equal(nemo.result_fields.find((f: any) => f.key === "train_tokens_per_s").unit, "tokens/s");
    assert.equal(
      catalog.find((b: any) => b.id === "inference").result_fields.find((f: any) => f.key === "mean_ttft_ms").unit,
      "ms",
    );
    const job = await createJob({
      name: "llm",
      benchmarks: [
        { benchmark_id: "inference", config: { model: "meta-llama/Llama-3.1-8B-Instruct", batch_size: 64 } },
      ],
      node_count: 1,
    });
    const reg = await api.post(`${V1}/jobs/current/tasks`, {
      token: job.token,
      body: { machine_uuid: "llm-node", gpu_model: "NVIDIA H100 80GB HBM3", gpu_count: 8 },
    });
    const post = (body: unknown) =>
      api.post(`${V1}/jobs/current/tasks/${reg.body.id}/results`, { token: job.token, body });
    assert.equal(
      (await post({ benchmark_id: "quick_mark", state: "completed", results: vendorQuickmark })).status,
      201,
    );
    const up = await post({
      benchmark_id: "inference",
      state: "completed",
      results: { output_throughput_tokens_per_s: 5120.5, requests_per_s: 12.25, mean_ttft_ms: 85.2, mean_itl_ms: 11.4 },
    });
    assert.equal(up.status, 201, up.text);
    await api.post(`${V1}/jobs/current/tasks/${reg.body.id}/finish`, {
      token: job.token,
      body: { state: "completed" },
    });
    const results = (await api.get(`${V1}/jobs/${job.id}/results?include_display_names=true`, { token: eng.token }))
      .body;
    assert.equal(results.inference.results.output_throughput_tokens_per_s, 5120.5);
    assert.equal(results.inference.results.mean_ttft_ms, 85.2);
    assert.equal(results.inference.display_names.mean_ttft_ms, "Mean Time to First Token (ms)");
  });
});
