import { createHash } from "node:crypto";
import { expect, request as playwrightRequest, test, type APIRequestContext, type Page } from "@playwright/test";
import { ACCOUNTS, API, apiToken, completedClusterJob, screenshot, signIn, useTheme } from "./helpers";
import { runSimulatedAgent } from "./agent";

/** A fresh job of Acme's engineer, created through the API: it stays in state created. */
async function engineersJob(request: APIRequestContext, name: string) {
  const token = await apiToken(request, ACCOUNTS.acmeEngineer);
  const res = await request.post(`${API}/jobs`, {
    headers: { Authorization: `Bearer ${token}` },
    data: { name: `${name} ${Date.now()}`, benchmarks: ["quick_mark"] },
  });
  expect(res.status()).toBe(201);
  return { token, job: await res.json() };
}

const headerState = (page: Page) => page.locator(".page-header [data-state]").first();

test("a completed multi-node job shows its charts, results table, nodes and PDF reports", async ({ page, request }) => {
  const job = await completedClusterJob(request);
  await signIn(page, ACCOUNTS.acmeAdmin);
  await page.goto(`/jobs/${job.id}`);
  await expect(page.getByRole("heading", { level: 1, name: job.name })).toBeVisible();
  await expect(headerState(page)).toHaveAttribute("data-state", "completed");
  await expect(page.getByTestId("node-row")).toHaveCount(job.node_count);

  // Charts render as SVG with bars: per-node metric vs reference, ratios, network links.
  for (const id of ["chart-metric-vs-reference", "chart-ratio", "chart-network"]) {
    const bars = page.getByTestId(id).locator("svg .recharts-bar-rectangle");
    await expect(bars.first()).toBeVisible();
    expect(await bars.count(), id).toBeGreaterThan(1);
  }
  // Switching the metric redraws the per-node chart.
  await page.getByLabel("Metric for the per-node chart").selectOption("memory_bandwidth_gbs");
  await expect(page.getByTestId("chart-metric-vs-reference")).toContainText("Memory Bandwidth");

  // Raw results with display names, and each unit once in its own column (not also in the name).
  const results = page.getByTestId("results-table");
  const bf16 = results.getByRole("row", { name: /BF16 Performance/ });
  await expect(bf16).toContainText("TFLOPS");
  await expect(bf16).not.toContainText("(TFLOPS)");
  const bandwidth = results.getByRole("row", { name: /Average Bandwidth/ });
  await expect(bandwidth).toContainText("Gbps");
  await expect(bandwidth).not.toContainText("(Gbps)");
  await expect(page.getByTestId("node-results-table")).toContainText("Memory Bandwidth");
  await expect(page.getByTestId("job-logs")).not.toBeEmpty();

  // PDF reports of the job and of a node answer with a PDF for the signed-in user.
  const jobPdf = await page.getByTestId("job-report-link").getAttribute("href");
  const nodePdf = await page
    .getByRole("link", { name: /PDF report of node/ })
    .first()
    .getAttribute("href");
  for (const href of [jobPdf!, nodePdf!]) {
    const res = await page.request.get(href);
    expect(res.status(), href).toBe(200);
    expect(res.headers()["content-type"]).toContain("application/pdf");
  }
  await screenshot(page, "job-detail");
  await useTheme(page, "dark");
  await expect(page.getByTestId("chart-network").locator("svg .recharts-bar-rectangle").first()).toBeVisible();
  await screenshot(page, "job-detail-dark");
  await useTheme(page, "light");
});

test("create a job through the form, see its token and agent command, run it to completion without reload", async ({
  page,
  baseURL,
}) => {
  await signIn(page, ACCOUNTS.acmeEngineer);
  await page.goto("/jobs/new");
  await expect(page.getByRole("checkbox", { name: /QuickMark/ })).toBeChecked();
  await expect(page.getByRole("checkbox", { name: /QuickMark/ })).toBeDisabled();

  // The form validates with the API's schema before sending anything.
  await page.getByLabel(/^Nodes/).fill("0");
  await page.getByLabel(/^Tags/).fill("bad<tag");
  await page.getByRole("button", { name: "Create job" }).click();
  await expect(page.locator("#node_count-error")).toBeVisible();
  await expect(page.locator(".field-error").filter({ hasText: "Tags must not contain" })).toBeVisible();

  const name = `e2e form ${Date.now()}`;
  await page.getByRole("checkbox", { name: /Cluster Network/ }).check();
  await page.getByLabel(/^Message size mb/).fill("64");
  await page.getByLabel(/^Name/).fill(name);
  await page.getByLabel(/^Nodes/).fill("2");
  await page.getByLabel(/^Tags/).fill("e2e, form");
  await page.getByText("Node requirements and timeouts").click();
  await page.getByLabel("GPU model contains").fill("H100");
  await page.getByRole("button", { name: "Create job" }).click();

  await expect(page.getByRole("heading", { name: `Job “${name}” created` })).toBeVisible();
  const token = (await page.getByTestId("job-token").textContent())!.trim();
  expect(token.length).toBeGreaterThan(20);
  const command = (await page.getByTestId("agent-command").textContent())!;
  expect(command).toBe(
    `curl -fsSLO ${baseURL}/agent/benchboard-agent.mjs && node benchboard-agent.mjs --url ${baseURL} --token ${token}`,
  );
  // The checksum shown is the one of the file the dashboard serves, without sign-in.
  const bundle = await playwrightRequest.newContext().then((anon) => anon.get(`${baseURL}/agent/benchboard-agent.mjs`));
  expect(bundle.status()).toBe(200);
  const sha256 = createHash("sha256")
    .update(await bundle.body())
    .digest("hex");
  await expect(page.getByTestId("agent-sha256")).toHaveText(`${sha256}  benchboard-agent.mjs`);
  await expect(page.getByTestId("agent-simulate-command")).toContainText(`--token ${token} --simulate --nodes 2`);
  await expect(page.getByRole("button", { name: "Copy job token" })).toBeVisible();
  await screenshot(page, "new-job-created");
  const jobHref = (await page.getByRole("link", { name: "Open job" }).getAttribute("href"))!;

  // The API's own refusal is shown as well: the same name again is a 409.
  await page.getByRole("button", { name: "Create another" }).click();
  await page.getByLabel(/^Name/).fill(name);
  await page.getByRole("button", { name: "Create job" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "already exists" })).toBeVisible();
  await screenshot(page, "new-job");

  await page.goto(jobHref);
  await expect(headerState(page)).toHaveAttribute("data-state", "created");
  await expect(page.getByTestId("agent-command")).toContainText(token);
  await expect(page.getByTestId("agent-sha256")).toHaveText(`${sha256}  benchboard-agent.mjs`);

  // Two simulated H100 nodes run the job over HTTP; the open page follows it to completed.
  const agent = runSimulatedAgent(baseURL!, token, { nodes: 2, seed: 5 });
  await expect(headerState(page), agent.output()).toHaveAttribute("data-state", "completed", { timeout: 45_000 });
  await agent.done;
  // The logs the nodes uploaded are on the page (streamed while live, then the stored tail).
  await expect(page.getByTestId("job-logs")).toContainText("cluster_network");
  await expect(page.getByTestId("node-row")).toHaveCount(2);
  // Each node's details: the inventory its agent registered with.
  await page.getByTestId("node-details").first().locator("summary").click();
  await expect(page.getByTestId("node-inventory").first()).toContainText("CPU");
  await expect(page.getByTestId("node-inventory").first()).toContainText("Driver");
  await expect(page.getByTestId("chart-network").locator("svg .recharts-bar-rectangle").first()).toBeVisible();
});

test("cancel a live job after confirming", async ({ page, request }) => {
  const { token, job } = await engineersJob(request, "e2e cancel");
  await signIn(page, ACCOUNTS.acmeEngineer);
  await page.goto(`/jobs/${job.id}`);
  await page.getByRole("button", { name: "Cancel job" }).click();
  const dialog = page.getByRole("dialog", { name: "Cancel this job?" });
  await expect(dialog).toBeVisible();
  // Backing out changes nothing.
  await dialog.getByRole("button", { name: "Cancel", exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(headerState(page)).toHaveAttribute("data-state", "created");
  await page.getByRole("button", { name: "Cancel job" }).click();
  await dialog.getByRole("button", { name: "Cancel job" }).click();
  await expect(headerState(page)).toHaveAttribute("data-state", "aborted");
  await expect(page.getByRole("button", { name: "Cancel job" })).toHaveCount(0);

  // Deleting (now that it ended) asks too, then leaves for the list.
  await page.getByRole("button", { name: "Delete" }).click();
  await page.getByRole("dialog", { name: "Delete this job?" }).getByRole("button", { name: "Delete job" }).click();
  await expect(page).toHaveURL(/\/jobs$/);
  const gone = await request.get(`${API}/jobs/${job.id}`, { headers: { Authorization: `Bearer ${token}` } });
  expect(gone.status()).toBe(404);
});

test("the job page offers cancel and delete only to those the permission table lets act", async ({ page, request }) => {
  const { job } = await engineersJob(request, "e2e permissions");
  // Staff read every customer's jobs but act only on their own; a root admin acts within their
  // own customer only (lib/auth/permissions.ts). Neither may cancel this Acme job: no button.
  for (const email of [ACCOUNTS.staff, ACCOUNTS.root]) {
    await signIn(page, email);
    await page.goto(`/jobs/${job.id}`);
    await expect(page.getByRole("heading", { level: 1, name: job.name })).toBeVisible();
    await expect(page.getByTestId("job-report-link")).toBeVisible();
    await expect(page.getByRole("button", { name: "Cancel job" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Delete" })).toHaveCount(0);
    const denied = await request.post(`${API}/jobs/${job.id}/cancel`, {
      headers: { Authorization: `Bearer ${await apiToken(request, email)}` },
    });
    expect(denied.status(), "the API agrees: 403").toBe(403);
    await page.context().clearCookies();
  }
  // The customer's admin may: the button is there.
  await signIn(page, ACCOUNTS.acmeAdmin);
  await page.goto(`/jobs/${job.id}`);
  await expect(page.getByRole("button", { name: "Cancel job" })).toBeVisible();
});

test("phone width: job detail fits the screen", async ({ page, request }) => {
  const job = await completedClusterJob(request);
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, ACCOUNTS.acmeAdmin);
  await page.goto(`/jobs/${job.id}`);
  await expect(page.getByTestId("chart-ratio").locator("svg .recharts-bar-rectangle").first()).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(1);
  await screenshot(page, "job-detail-phone");
});
