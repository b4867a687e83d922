import { expect, test } from "@playwright/test";
import { ACCOUNTS, apiGet, screenshotBothThemes, signIn } from "./helpers";

for (const [who, email] of [
  ["acme admin", ACCOUNTS.acmeAdmin],
  ["root", ACCOUNTS.root],
  ["acme engineer", ACCOUNTS.acmeEngineer],
] as const) {
  test(`${who}: badge equals alert_job_count and the Performance page lists those jobs with their bad nodes`, async ({
    page,
    request,
  }) => {
    const { alert_job_count } = await apiGet(request, email, "/jobs/stats");
    const api = await apiGet(request, email, "/jobs", {
      state: "completed",
      performance_status: "underperforming",
      include: "performance,performance_nodes",
      sort_by: "ended_at",
      per_page: 20,
    });
    expect(api.pagination.total).toBe(alert_job_count);

    await signIn(page, email);
    await expect(page.getByTestId("performance-badge")).toHaveText(String(alert_job_count));
    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: /^Performance/ })
      .click();
    await expect(page.getByRole("heading", { name: "Performance", level: 1 })).toBeVisible();
    await expect(page.getByTestId("alert-job-count")).toHaveText(String(alert_job_count));

    if (alert_job_count === 0) {
      await expect(page.getByRole("heading", { name: "No underperforming jobs" })).toBeVisible();
      return;
    }
    const cards = page.locator("article[data-job-id]");
    await expect
      .poll(() => cards.evaluateAll((els) => els.map((e) => e.getAttribute("data-job-id"))))
      .toEqual(api.results.map((j: any) => j.id));
    const first = api.results[0];
    const card = cards.first();
    await expect(card.getByRole("link", { name: first.name })).toHaveAttribute("href", `/jobs/${first.id}`);
    const badNodes = first.performance_nodes.filter((n: any) => n.status === "underperforming");
    await expect(card.locator(".perf-node")).toHaveCount(badNodes.length);
    // Each bad node shows its failing metric with value, reference and ratio as the API has them.
    const node = badNodes[0];
    const nodeCard = card.locator(`.perf-node[data-machine="${node.machine_uuid}"]`);
    // A node can fail through one slow GPU while its mean passes: the card names that GPU.
    for (const slow of node.slow_gpus ?? []) await expect(nodeCard.getByTestId("slow-gpus")).toContainText(slow);
    const metric = node.underperforming_metrics.find((k: string) => node.metrics[k]?.status === "underperforming");
    if (!metric) {
      expect(node.slow_gpus?.length, "underperforming through a slow GPU alone").toBeGreaterThan(0);
      return;
    }
    const row = card.locator(`.perf-node[data-machine="${node.machine_uuid}"] tr[data-metric="${metric}"]`);
    await expect(row).toHaveAttribute("data-status", "underperforming");
    const m = node.metrics[metric];
    await expect(row).toContainText(m.value.toLocaleString("en-US", { maximumFractionDigits: 1 }));
    await expect(row).toContainText(m.reference.toLocaleString("en-US", { maximumFractionDigits: 1 }));
    await expect(row).toContainText(`${(m.ratio * 100).toFixed(1)}%`);
    await expect(row).toContainText(`${(node.threshold * 100).toFixed(1)}%`);
  });
}

test("root has underperforming demo jobs to look at", async ({ request }) => {
  const { alert_job_count } = await apiGet(request, ACCOUNTS.root, "/jobs/stats");
  expect(alert_job_count).toBeGreaterThan(0);
});

test("screenshots of /performance in light and dark", async ({ page }) => {
  await signIn(page, ACCOUNTS.root);
  await page.goto("/performance");
  await expect(page.locator("article[data-job-id]").first()).toBeVisible();
  await screenshotBothThemes(page, "performance");
});
