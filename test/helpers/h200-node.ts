import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { AgentClient } from "../../agent/client";
import { registerNode, runRegisteredNode } from "../../agent/run-node";
import { api, inProcessFetch, V1 } from "./api";

/**
 * Nodes built from a real NVIDIA H200 quick_mark measurement (test/fixtures, driver
 * 580.159.04, CUDA 13.0, PCIe Gen5 x16, 1980 MHz SM, 700 W limit), scaled per run so a test
 * can play a stable history, a small drop, or one slow GPU.
 */
const fixture = JSON.parse(
  readFileSync(fileURLToPath(new URL("../fixtures/h200-quick_mark.json", import.meta.url)), "utf8"),
);
export const H200_GPU0: Record<string, number> = fixture.results.test_results[0];
export const H200_MODEL: string = fixture.results.gpu_model;

export const H200_INVENTORY = {
  driver_version: fixture.nvidia_smi.rows[0][2] as string,
  cuda_version: fixture.cuda as string,
  pcie_link: "Gen5 x16",
  clocks_max_sm_mhz: Number(fixture.nvidia_smi.rows[0][6]),
  power_limit_watts: Number(fixture.nvidia_smi.rows[0][8]),
};

const THROUGHPUT = /tflops|_gbs$/;

/** quick_mark results for `gpuCount` GPUs; gpuScale[i] scales GPU i's throughput figures (default 1). */
export function h200Quickmark(gpuCount: number, gpuScale: (i: number) => number) {
  const test_results = Array.from({ length: gpuCount }, (_, i) => {
    const row: Record<string, number | string> = { gpu_index: i, gpu_name: H200_MODEL };
    for (const [k, v] of Object.entries(H200_GPU0))
      if (typeof v === "number" && k !== "gpu_index")
        row[k] = THROUGHPUT.test(k) ? Math.round(v * gpuScale(i) * 100) / 100 : v;
    return row;
  });
  const aggregate_results: Record<string, number> = {};
  for (const k of Object.keys(H200_GPU0)) {
    if (k === "gpu_index" || typeof H200_GPU0[k] !== "number") continue;
    const vals = test_results.map((r) => r[k] as number);
    aggregate_results[k] = k === "temperature_centigrade" ? Math.max(...vals) : vals.reduce((a, b) => a + b, 0);
  }
  return { gpu_model: H200_MODEL, gpu_count: gpuCount, test_results, aggregate_results };
}

export interface H200Run {
  machineUuid: string;
  hostname?: string;
  gpuCount?: number;
  scale?: number;
  gpuScale?: (i: number) => number;
  inventory?: Record<string, unknown>;
  name?: string;
}

/** One completed single-node quick_mark job on an H200 machine, through the agent protocol. */
export async function runH200Job(token: string, run: H200Run) {
  const created = await api.post(`${V1}/jobs`, {
    token,
    body: { name: run.name, benchmarks: ["quick_mark"], node_count: 1 },
  });
  assert.equal(created.status, 201, created.text);
  const { taskId } = await runH200NodeOnJob(created.body.token, run);
  return { jobId: created.body.id as string, taskId };
}

/** An H200 node joins an existing job with its job token, runs quick_mark and finishes (one-node jobs end then). */
export async function runH200NodeOnJob(jobToken: string, run: H200Run) {
  const agent = new AgentClient({
    baseUrl: "http://localhost",
    token: jobToken,
    fetch: inProcessFetch,
    backoffMs: 10,
  });
  const job = await agent.currentJob();
  const gpuCount = run.gpuCount ?? 1;
  const node = {
    machine_uuid: run.machineUuid,
    hostname: run.hostname ?? run.machineUuid,
    gpu_model: H200_MODEL,
    gpu_count: gpuCount,
    gpu_memory_gb: 141,
    inventory: { ...H200_INVENTORY, ...run.inventory },
  };
  const task = await registerNode(agent, node);
  const scale = run.scale ?? 1;
  const results = h200Quickmark(gpuCount, (i) => scale * (run.gpuScale?.(i) ?? 1));
  await runRegisteredNode(agent, job, node, task.id, async () => ({ state: "completed", results }));
  return { taskId: task.id as string };
}
