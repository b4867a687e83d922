import { expect, test } from "@playwright/test";
import { ACCOUNTS, API, apiToken, signIn } from "./helpers";

// A node uploads quick_mark the way SiliconMark's agent shapes it (gpu_id/gpu_model rows,
// node aggregates and a GPU↔GPU matrix); the job page shows the aggregates and the heatmap.
const row = (i: number) => ({
  gpu_id: `GPU-${i}0000000-0000-4000-8000-000000000000`,
  gpu_model: "NVIDIA H100 80GB HBM3",
  bf16_tflops: 610,
  fp16_tflops: 615,
  fp32_tflops: 305,
  fp32_cuda_core_tflops: 54,
  mixed_precision_tflops: 590,
  memory_bandwidth_gbs: 2900,
  l2_bandwidth_gbs: 9700,
  host_to_device_bandwidth_gbs: 53,
  device_to_host_bandwidth_gbs: 53,
  kernel_launch_overhead_us: 2.3,
  power_consumption_watts: 650 + i,
  temperature_centigrade: 63,
});
const quickmark = {
  test_results: [row(0), row(1)],
  aggregate_results: {
    allreduce_bandwidth_gbs: 356.4,
    broadcast_bandwidth_gbs: 341.2,
    gpu_bandwidth_matrix: [
      { source_gpu: 0, target_gpu: 1, duplex_gbs: 734.5, simplex_gbs: 367.2, connection_type: "NVLink" },
      { source_gpu: 1, target_gpu: 0, duplex_gbs: 51.3, simplex_gbs: 25.6, connection_type: "PCIe" },
    ],
  },
};

test("a vendor-shaped quick_mark shows its aggregates and the GPU↔GPU heatmap; an inference result is tabled and charted", async ({
  page,
  request,
}) => {
  const token = await apiToken(request, ACCOUNTS.acmeEngineer);
  const created = await request.post(`${API}/jobs`, {
    headers: { Authorization: `Bearer ${token}` },
    data: {
      name: `vendor-shaped ${Date.now()}`,
      benchmarks: [
        "quick_mark",
        { benchmark_id: "inference", config: { model: "meta-llama/Llama-3.1-8B-Instruct", timeout: 900 } },
      ],
      node_count: 1,
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const job = await created.json();
  const agent = { Authorization: `Bearer ${job.token}` };
  const reg = await request.post(`${API}/jobs/current/tasks`, {
    headers: agent,
    data: { machine_uuid: "vendor-e2e-node", gpu_model: "NVIDIA H100 80GB HBM3", gpu_count: 2 },
  });
  expect(reg.status(), await reg.text()).toBe(201);
  const task = await reg.json();
  const up = await request.post(`${API}/jobs/current/tasks/${task.id}/results`, {
    headers: agent,
    data: { benchmark_id: "quick_mark", state: "completed", results: quickmark },
  });
  expect(up.status(), await up.text()).toBe(201);
  const llm = await request.post(`${API}/jobs/current/tasks/${task.id}/results`, {
    headers: agent,
    data: {
      benchmark_id: "inference",
      state: "completed",
      results: { output_throughput_tokens_per_s: 4812.5, requests_per_s: 11.5, mean_ttft_ms: 92.4, mean_itl_ms: 10.8 },
    },
  });
  expect(llm.status(), await llm.text()).toBe(201);
  const fin = await request.post(`${API}/jobs/current/tasks/${task.id}/finish`, {
    headers: agent,
    data: { state: "completed" },
  });
  expect(fin.status(), await fin.text()).toBe(200);

  await signIn(page, ACCOUNTS.acmeEngineer);
  await page.goto(`/jobs/${job.id}`);
  const node = page.getByTestId("node-results-table");
  // Reported by the agent, and computed from its GPU rows (2 × 615 FP16 TFLOPS over a 651 W peak).
  await expect(node.getByRole("row", { name: /All-Reduce Bandwidth/ })).toContainText("356.4");
  await expect(node.getByRole("row", { name: /Broadcast Bandwidth/ })).toContainText("341.2");
  await expect(node.getByRole("row", { name: /Total FP16 Performance/ })).toContainText("1,230");
  await expect(node.getByRole("row", { name: /FP16 Performance per Peak Watt/ })).toContainText("1.889");
  await expect(node.getByRole("row", { name: /FP16 Performance per Peak Watt/ })).toContainText("TFLOPS/W");
  const cluster = page.getByTestId("results-table");
  await expect(cluster.getByRole("row", { name: /Total FP16 Performance/ })).toContainText("1,230");

  // The inference benchmark: in the results table with its units, and charted per node.
  await expect(cluster.getByRole("row", { name: /Mean Time to First Token/ })).toContainText("92.4");
  await expect(cluster.getByRole("row", { name: /Output Token Throughput/ })).toContainText("tokens/s");
  await expect(page.getByTestId("chart-benchmark-inference").locator("svg .recharts-bar-rectangle")).toHaveCount(1);

  const heatmap = page.getByTestId("gpu-bandwidth-heatmap");
  await expect(heatmap).toBeVisible();
  await expect(heatmap.getByRole("row", { name: /^GPU 0/ })).toContainText("734.5");
  await expect(heatmap.getByRole("row", { name: /^GPU 1/ })).toContainText("51.3");
  await expect(heatmap.locator("td[title*='PCIe']")).toHaveCount(1);
});
