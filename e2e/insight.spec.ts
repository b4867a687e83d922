import { readFileSync } from "node:fs";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { oldestFirst } from "../lib/compare/selection";
import { ACCOUNTS, API, apiGet, apiToken, completedClusterJob, screenshot, signIn } from "./helpers";

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

test("select two nodes on a job page → compare page for those nodes", async ({ page, request }) => {
  const { id } = await completedClusterJob(request, 3);
  const job = await apiGet(request, ACCOUNTS.acmeAdmin, `/jobs/${id}`, { include_results: "false" });
  const [a, b] = job.tasks;
  await signIn(page, ACCOUNTS.acmeAdmin);
  await page.goto(`/jobs/${job.id}`);
  const bar = page.getByRole("region", { name: "Node actions" });
  await page.getByRole("checkbox", { name: `Select node ${a.machine_uuid.slice(0, 8)} to compare` }).check();
  await expect(bar).toContainText("Select 2–4 nodes to compare");
  await page.getByRole("checkbox", { name: `Select node ${b.machine_uuid.slice(0, 8)} to compare` }).check();
  await expect(bar).toContainText("2 selected");
  await bar.getByRole("link", { name: "Compare" }).click();
  await page.waitForURL(/\/compare\?tasks=/);
  // Oldest first (the baseline), as the page orders them: nodes that join at once can be
  // created in the other order than their ids.
  const expected = [a, b].sort(oldestFirst).map((t) => t.id);
  expect(new URL(page.url()).searchParams.get("tasks")).toBe(expected.join(","));
  await expect(page.locator('tr[data-metric="bf16_tflops"] [data-delta]')).toHaveCount(1);
  // Two machines of the same job: the hostnames differ, the GPU model does not.
  await expect(page.locator('tr[data-field="hostname"]')).toHaveAttribute("data-differs", "true");
  await expect(page.locator('tr[data-field="gpu_model"]')).toHaveAttribute("data-differs", "false");
  await screenshot(page, "compare-nodes");
});

test("machine page shows the regression mark and takes an annotation", async ({ page, request }) => {
  const list = await apiGet(request, email, "/machines", { status: "regressed", per_page: 300 });
  const machine = list.results.find((m: { machine_uuid: string }) => m.machine_uuid === MACHINE);
  expect(machine, JSON.stringify(list.results.map((m: { machine_uuid: string }) => m.machine_uuid))).toBeTruthy();
  const detail = await apiGet(request, email, `/machines/${machine.id}`, { limit: 200 });
  const bf16 = detail.history.at(-1).metrics.bf16_tflops;
  expect(bf16.fleet_band, "the H200 fleet band has a spread").not.toBeNull();
  await signIn(page, email);
  await page.goto(`/fleet/${machine.id}`);

  // Each key metric's chart shades the fleet band and draws the own baseline; one legend names them.
  const legend = page.getByRole("list", { name: "Chart legend" });
  for (const name of ["Fleet band (median ± 3 σ)", "Fleet median", "Own baseline", "Regression limit", "Flagged run"])
    await expect(legend.getByRole("listitem").filter({ hasText: name })).toBeVisible();
  const chart = page.getByRole("figure", { name: "BF16 over time against the fleet band and own baseline" });
  await expect(chart.locator("svg .recharts-area-area")).toHaveCount(1);
  await expect(chart.locator("svg .recharts-line")).toHaveCount(4);
  await expect(chart.locator("svg .recharts-scatter-symbol").first()).toBeVisible();
  await expect(page.getByTestId("metric-story-chart")).toHaveCount(3);
  // …and the same lines in numbers, for the latest (dropped) run.
  const fmt = (v: number) => v.toLocaleString("en-US", { maximumFractionDigits: 1 });
  const row = page
    .getByRole("table", { name: "Latest run against its references" })
    .locator('tr[data-metric="bf16_tflops"]');
  await expect(row.getByTestId("fleet-median")).toHaveText(fmt(bf16.fleet_median));
  await expect(row.getByTestId("fleet-band")).toHaveText(`${fmt(bf16.fleet_band.low)} – ${fmt(bf16.fleet_band.high)}`);
  await expect(row.getByTestId("own-baseline")).toHaveText(`${fmt(bf16.baseline)} (6 runs)`);
  await expect(row.getByTestId("regression-limit")).toHaveText(fmt(bf16.baseline_limit));
  expect(bf16.value).toBeLessThanOrEqual(bf16.baseline_limit);

  const mark = page.getByTestId("regression-mark").first();
  await expect(mark).toContainText("Regressed: BF16");
  await expect(mark).toContainText("own baseline");
  await page.getByRole("textbox", { name: "Annotation", exact: true }).fill("replaced GPU 0");
  await page.getByLabel("Reset baseline").check();
  await page.getByRole("button", { name: "Annotate" }).click();
  const note = page.getByTestId("annotation").filter({ hasText: "replaced GPU 0" });
  await expect(note).toBeVisible();
  await expect(note).toContainText("baseline reset");
  // The note is a line on every chart, labelled as in the list (recharts 3 draws reference
  // lines and their labels without the .recharts-reference-line group the old check looked for).
  await expect(note).toContainText("A1");
  await expect(chart.locator("svg text").filter({ hasText: /^A1$/ })).toHaveCount(1);
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
  const { id } = await completedClusterJob(request, 3);
  await signIn(page, ACCOUNTS.acmeAdmin);
  await page.goto(`/jobs/${id}`);
  const matrix = page.getByTestId("straggler-matrix");
  await expect(matrix).toBeVisible();
  await expect(matrix.getByTestId("stragglers")).toContainText("Slowest node");
  expect(await matrix.locator("tbody tr").count()).toBeGreaterThanOrEqual(3);
  await matrix.getByLabel("Link matrix metric").selectOption("latency");
  await screenshot(page, "straggler-matrix");
});
