// Shipped references come from sources, and a measured healthy H200 scores ≈ 1.0 against its
// reference through the real scoring path (references from the database, then scoreNode).
import assert from "node:assert/strict";
import fs from "node:fs";
import { after, before, describe, test } from "node:test";
import { getDb } from "../lib/db/client";
import type { Prisma } from "../lib/generated/prisma/client";
import { DATASHEET_MODELS, datasheetFor } from "../lib/performance/gpu-datasheets";
import { KEY_METRICS, performanceThreshold, perGpuValues, QUICKMARK_METRICS } from "../lib/performance/metrics";
import { loadReferences, refreshFleetReferences } from "../lib/performance/references";
import { scoreJob } from "../lib/performance/score-job";
import { scoreNode } from "../lib/performance/scoring";
import { KNOWN_GPU_MODELS, vendorSpec } from "../lib/performance/vendor-specs";
import { api, V1 } from "./helpers/api";
import { useFreshDatabase } from "./helpers/db";
import { signedInUser } from "./helpers/users";

const fixture = JSON.parse(fs.readFileSync("test/fixtures/gpu/h200-quick_mark.json", "utf8")) as {
  results: { gpu_model: string; test_results: Record<string, unknown>[] };
};

let teardown: () => Promise<void>;
before(async () => ({ teardown } = await useFreshDatabase()));
after(async () => teardown());

/** The fixture with every key metric scaled: a node at `factor` of a healthy H200. */
function scaled(factor: number) {
  const rows = fixture.results.test_results.map((row) => {
    const copy = { ...row };
    for (const m of KEY_METRICS) copy[m] = (row[m] as number) * factor;
    return copy;
  });
  return { ...fixture.results, test_results: rows };
}

async function scoreH200(results: unknown) {
  const model = fixture.results.gpu_model;
  const refs = (await loadReferences(await getDb(), [model])).get(model)!;
  return scoreNode(perGpuValues(results), refs, performanceThreshold());
}

describe("shipped references", () => {
  test("every model with a datasheet has a reference, each value with its source", () => {
    assert.deepEqual([...KNOWN_GPU_MODELS].sort(), [...DATASHEET_MODELS].sort());
    for (const model of KNOWN_GPU_MODELS) {
      const spec = vendorSpec(model)!;
      for (const m of QUICKMARK_METRICS) {
        assert.ok(spec.values[m]! > 0, `${model} ${m} has a value`);
        assert.match(spec.sources[m], /datasheet .* × |estimate/, `${model} ${m} names its source`);
      }
      // A reference is what quick_mark sustains: below the datasheet peak, never above it.
      const sheet = datasheetFor(model)!;
      assert.ok(spec.values.bf16_tflops! < sheet.bf16TensorTflops, `${model} bf16 below the dense peak`);
      assert.ok(spec.values.memory_bandwidth_gbs! < sheet.memoryBandwidthGbs, `${model} memory below the datasheet`);
    }
    assert.match(
      vendorSpec("NVIDIA H100 80GB HBM3")!.sources.bf16_tflops,
      /datasheet dense BF16 Tensor TFLOPS 989\.5 × 0\.777 .*measured 2026-11-29/,
    );
    assert.match(
      vendorSpec("NVIDIA H100 NVL")!.sources.bf16_tflops,
      /× 0\.7 \(/,
      "a power-limited board says its extra factor",
    );
    assert.equal(vendorSpec("NVIDIA GeForce RTX 4090"), null);
  });

  test("the measured H200 scores ≈ 1.0 on every key metric", async () => {
    const perf = await scoreH200(fixture.results);
    assert.equal(perf.status, "ok");
    for (const m of KEY_METRICS) {
      const s = perf.metrics[m]!;
      assert.equal(s.source, "vendor_spec");
      assert.ok(Math.abs(s.ratio! - 1) < 0.02, `${m} ratio ${s.ratio}`);
    }
  });

  test("an H200 at 85 % of the measured one is underperforming on bf16, fp16 and memory", async () => {
    const perf = await scoreH200(scaled(0.85));
    assert.equal(perf.status, "underperforming");
    assert.deepEqual([...perf.underperforming_metrics].sort(), [...KEY_METRICS].sort());
    assert.ok(Math.abs(perf.metrics.bf16_tflops!.ratio! - 0.85) < 0.02);
  });

  test("an H200 at 92 % still passes the default 0.9 threshold", async () => {
    assert.equal((await scoreH200(scaled(0.92))).status, "ok");
  });

  test("a --device cpu result is never scored and never joins the fleet reference", async () => {
    const db = await getDb();
    const user = await signedInUser("customer_admin", "Smoke Co");
    const created = await api.post(`${V1}/jobs`, {
      token: user.token,
      body: { name: "cpu smoke", benchmarks: ["quick_mark"], node_count: 2 },
    });
    assert.equal(created.status, 201, created.text);
    const jobId = BigInt(created.body.id);
    const model = fixture.results.gpu_model;
    // Half the measured figures: scored, a CPU smoke run would read as a badly underperforming H200.
    const smoke = { ...scaled(0.5), device: "cpu" };
    const nodes = [
      { uuid: "00000000-0000-4000-8000-0000000000a1", results: fixture.results },
      { uuid: "00000000-0000-4000-8000-0000000000a2", results: smoke },
    ];
    for (const n of nodes) {
      const task = await db.task.create({
        data: { jobId, machineUuid: n.uuid, gpuModel: model, gpuCount: 1, state: "completed" },
      });
      await db.benchmarkResult.create({
        data: {
          jobId,
          taskId: task.id,
          benchmarkId: "quick_mark",
          benchmarkName: "QuickMark",
          state: "completed",
          results: n.results as Prisma.InputJsonValue,
        },
      });
    }

    // The fleet band is built from scored nodes: score first, then refresh it.
    await scoreJob(db, jobId);
    await refreshFleetReferences(db, [model], true);
    const fleet = await db.gpuReference.findUniqueOrThrow({
      where: { gpuModel_metric: { gpuModel: model, metric: "bf16_tflops" } },
    });
    assert.equal(fleet.samples, 1, "only the GPU measurement counts towards the fleet");
    assert.equal(fleet.median, 768.7);

    const job = await db.job.findUniqueOrThrow({ where: { id: jobId } });
    assert.equal(job.performanceStatus, "ok");
    assert.equal((job.performance as { nodes_scored: number }).nodes_scored, 1);
    const smokeTask = await db.task.findFirstOrThrow({ where: { jobId, machineUuid: nodes[1].uuid } });
    assert.equal((smokeTask.performance as { status: string }).status, "unknown");
  });
});
