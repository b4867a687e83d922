import { readFileSync } from "node:fs";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { ACCOUNTS, API, apiGet, apiToken, screenshot, signIn } from "./helpers";

// Fleet insight in the browser: compare two jobs from the list, and a machine whose history
// (real H200 figures, a stable run then a 5 % drop) carries a regression mark and takes a note.
const fixture = JSON.parse(readFileSync(new URL("../test/fixtures/h200-quick_mark.json", import.meta.url), "utf8"));
const GPU0: Record<string, number> = fixture.results.test_results[0];
const MODEL: string = fixture.results.gpu_model;
const MACHINE = `e2e-h200-${Date.now().toString(36)}`;
const email = ACCOUNTS.acmeEngineer;

function quickmark(scale: number) {
  const row: Record<string, number | string> = { gpu_index: 0, gpu_name: MODEL };
  for (const [k, v] of Object.entries(GPU0))
    if (typeof v === "number" && k !== "gpu_index")
      row[k] = /tflops|_gbs$/.test(k) ? Math.round(v * scale * 100) / 100 : v;
  return { gpu_model: MODEL, gpu_count: 1, test_results: [row], aggregate_results: { ...row } };
}

/** One single-node quick_mark job through the agent protocol (job token), like a real agent. */
async function runH200(request: APIRequestContext, token: string, name: string, scale: number, driver: string) {
  const created = await request.post(`${API}/jobs`, {
    headers: { Authorization: `Bearer ${token}` },
    data: { name, benchmarks: ["quick_mark"], node_count: 1 },
  });
  expect(created.status(), await created.text()).toBe(201);
  const job = await created.json();
  const agent = { Authorization: `Bearer ${job.token}` };
  const task = await (
    await request.post(`${API}/jobs/current/tasks`, {
      headers: agent,
      data: {
        machine_uuid: MACHINE,
        hostname: `${MACHINE}.lab`,
        gpu_model: MODEL,
        gpu_count: 1,
        gpu_memory_gb: 141,
        inventory: { driver_version: driver, cuda_version: fixture.cuda },
      },
    })
  ).json();
  const up = await request.post(`${API}/jobs/current/tasks/${task.id}/results`, {
    headers: agent,
    data: { benchmark_id: "quick_mark", config: {}, state: "completed", results: quickmark(scale) },
  });
  expect(up.status(), await up.text()).toBeLessThan(300);
  expect(
    (
      await request.post(`${API}/jobs/current/tasks/${task.id}/finish`, {
        headers: agent,
        data: { state: "completed" },
      })
    ).status(),
  ).toBe(200);
  return job.id as string;
}

let stableId: string;
let dropId: string;

test.beforeAll(async ({ request }) => {
  const token = await apiToken(request, email);
  const stable = [1.0, 0.996, 1.004, 0.998, 1.002, 1.001];
  for (const [i, s] of stable.entries())
    stableId = await runH200(request, token, `insight stable ${MACHINE} ${i}`, s, fixture.nvidia_smi.rows[0][2]);
  dropId = await runH200(request, token, `insight drop ${MACHINE}`, 0.95, "570.124.06");
});

test("select two jobs → compare page with deltas and the configuration diff", async ({ page }) => {
  await signIn(page, email);
  await page.goto(`/jobs?name=${encodeURIComponent(`insight`)}`);
  for (const id of [stableId, dropId])
    await page.locator(`tbody tr[data-job-id="${id}"]`).getByRole("checkbox").check();
  const bar = page.getByRole("region", { name: "Bulk actions" });
  await expect(bar).toContainText("2 selected");
  await bar.getByRole("link", { name: "Compare" }).click();
  await page.waitForURL(/\/compare\?jobs=/);
  expect(new URL(page.url()).searchParams.get("jobs")).toBe(`${stableId},${dropId}`);
  const bf16 = page.locator('tr[data-metric="bf16_tflops"]');
  await expect(bf16).toContainText("-5.");
  await expect(bf16.locator("[data-delta]")).toHaveAttribute("data-beyond-noise", /true|unknown/);
  const driver = page.locator('tr[data-field="driver_version"]');
  await expect(driver).toHaveAttribute("data-differs", "true");
  await expect(driver).toContainText("570.124.06");
  await expect(page.locator('tr[data-field="cuda_version"]')).toHaveAttribute("data-differs", "false");
  await screenshot(page, "compare");
});

test("machine page shows the regression mark and takes an annotation", async ({ page, request }) => {
  const list = await apiGet(request, email, "/machines", { status: "regressed", per_page: 300 });
  const machine = list.results.find((m: { machine_uuid: string }) => m.machine_uuid === MACHINE);
  expect(machine, JSON.stringify(list.results.map((m: { machine_uuid: string }) => m.machine_uuid))).toBeTruthy();
  await signIn(page, email);
  await page.goto(`/fleet/${machine.id}`);
  const mark = page.getByTestId("regression-mark").first();
  await expect(mark).toContainText("Regressed: BF16");
  await expect(mark).toContainText("own baseline");
  await page.getByRole("textbox", { name: "Annotation", exact: true }).fill("replaced GPU 0");
  await page.getByLabel("Reset baseline").check();
  await page.getByRole("button", { name: "Annotate" }).click();
  const note = page.getByTestId("annotation").filter({ hasText: "replaced GPU 0" });
  await expect(note).toBeVisible();
  await expect(note).toContainText("baseline reset");
  await screenshot(page, "machine-regression");
});

test("fleet heatmap renders per GPU model; its cells link to the machine", async ({ page }) => {
  await signIn(page, email);
  await page.goto("/fleet");
  const heatmap = page.getByTestId("fleet-heatmap");
  const h200 = heatmap.locator(`[data-gpu-model="${MODEL}"]`);
  const row = h200.locator(`tr[data-machine="${MACHINE}"]`);
  await expect(row).toBeVisible();
  await expect(row.locator("td[data-ratio]").first()).toContainText("%");
  // Sorting by BF16 ascending puts the lowest ratio first.
  await h200.getByRole("button", { name: /BF16/ }).click();
  const ratios = await h200
    .locator("tbody tr")
    .evaluateAll((trs) =>
      trs.map((tr) => Number(tr.querySelectorAll("td[data-ratio]")[0]?.getAttribute("data-ratio") || "Infinity")),
    );
  expect(ratios).toEqual([...ratios].sort((a, b) => a - b));
  await screenshot(page, "fleet-heatmap");
  await row.locator("td[data-ratio] a").first().click();
  await page.waitForURL(/\/fleet\/\d+$/);
});

test("a cluster_network job shows the node × node straggler matrix", async ({ page, request }) => {
  const jobs = await apiGet(request, ACCOUNTS.acmeAdmin, "/jobs", {
    benchmark_id: "cluster_network",
    state: "completed",
    node_count_min: 3,
    per_page: 1,
  });
  test.skip(!jobs.results.length, "the demo data has no completed multi-node cluster_network job");
  await signIn(page, ACCOUNTS.acmeAdmin);
  await page.goto(`/jobs/${jobs.results[0].id}`);
  const matrix = page.getByTestId("straggler-matrix");
  await expect(matrix).toBeVisible();
  await expect(matrix.getByTestId("stragglers")).toContainText("Slowest node");
  expect(await matrix.locator("tbody tr").count()).toBeGreaterThanOrEqual(3);
  await matrix.getByLabel("Link matrix metric").selectOption("latency");
  await screenshot(page, "straggler-matrix");
});
