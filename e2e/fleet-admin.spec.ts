import { expect, test } from "@playwright/test";
import { ACCOUNTS, apiGet, screenshot, signIn } from "./helpers";
import { runJobWithSimulatedNodes } from "./agent";

test("fleet lists the customer's machines and opens a machine's history chart", async ({ page, request, baseURL }) => {
  // Two agent runs through HTTP before the page checks: on a busy machine this outlasts the default timeout.
  test.slow();
  // The same two simulated machines run twice, so their history has two points.
  for (const run of [1, 2])
    await runJobWithSimulatedNodes(request, baseURL!, ACCOUNTS.acmeEngineer, {
      name: `e2e fleet ${Date.now()} #${run}`,
      nodes: 2,
      seed: 77,
    });
  const api = await apiGet(request, ACCOUNTS.acmeAdmin, "/machines", { per_page: 50 });
  expect(api.pagination.total).toBeGreaterThan(0);
  await signIn(page, ACCOUNTS.acmeAdmin);
  await page.goto("/fleet");
  await expect(page.getByTestId("machine-row")).toHaveCount(Math.min(50, api.pagination.total));
  await expect(page.getByText(`${api.pagination.total} machines`)).toBeVisible();
  await expect(page.getByRole("table", { name: "Machines", exact: true })).not.toContainText("Globex");
  await screenshot(page, "fleet");

  // Filtering by GPU model narrows the table to that model.
  const model = api.gpu_models[0] as string;
  await page.getByLabel("Filter by GPU model").selectOption(model);
  const filtered = await apiGet(request, ACCOUNTS.acmeAdmin, "/machines", { gpu_model: model });
  await expect(page.getByText(`${filtered.pagination.total} machines`)).toBeVisible();

  // The machine with the most scored runs has a history worth a chart.
  const scored = api.results.filter((m: any) => m.last_performance_status !== "unknown");
  expect(scored.length).toBeGreaterThan(0);
  const busiest = [...scored].sort((a: any, b: any) => b.job_count - a.job_count)[0];
  await page.goto("/fleet");
  await page.getByRole("link", { name: `History of machine ${busiest.hostname}`, exact: true }).click();
  // Known by hostname; the UUID is shown beneath it.
  await expect(page.getByRole("heading", { level: 1, name: busiest.hostname })).toBeVisible();
  await expect(page.getByTestId("machine-uuid")).toHaveText(busiest.machine_uuid);
  await expect(page.getByTestId("history-row")).toHaveCount(busiest.job_count);
  await expect(page.getByTestId("machine-history-chart").locator("svg .recharts-line-dot").first()).toBeVisible();
  // Two runs draw a line (a path with a segment), not just dots.
  await expect(
    page.getByTestId("machine-history-chart").locator("svg path.recharts-line-curve").first(),
  ).toHaveAttribute("d", /\d[ ,]*L\s*\d/);
  await screenshot(page, "fleet-machine-history");
});

test("fleet by hostname: problems first on request, and the demo's drifting node has a long history", async ({
  page,
  request,
}) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await signIn(page, ACCOUNTS.acmeAdmin);
  await page.goto("/fleet");
  const rows = page.getByTestId("machine-row");
  await expect(rows.first()).toBeVisible();
  await expect(rows.first().locator(".machine-cell a")).toHaveText(/^gpu-r\d+-n\d{3}$/);

  await page.getByRole("button", { name: /^Sort by Performance/ }).click();
  await expect(page.getByRole("columnheader", { name: /Performance/ })).toHaveAttribute("aria-sort", "ascending");
  const api = await apiGet(request, ACCOUNTS.acmeAdmin, "/machines", { sort_by: "status", per_page: 50 });
  const statuses = api.results.map((m: any) => m.last_performance_status);
  expect(statuses).toContain("underperforming");
  const rank = (s: string) => ["underperforming", "unknown", "ok"].indexOf(s);
  expect(statuses.map(rank)).toEqual([...statuses.map(rank)].sort((a, b) => a - b));
  await expect(rows.first().locator(".machine-cell a")).toHaveText(api.results[0].hostname);
  await expect(rows.first()).toContainText("Underperforming");
  expect(await page.evaluate(() => document.scrollingElement!.scrollWidth <= window.innerWidth)).toBe(true);
  await screenshot(page, "fleet-by-status");

  // The planted drifting node (README "Demo data"): a run nearly every night.
  await page.getByRole("combobox", { name: "Sort machines" }).selectOption("hostname");
  await page.getByRole("link", { name: "History of machine gpu-r12-n003", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "gpu-r12-n003" })).toBeVisible();
  await expect(page.getByTestId("history-row").nth(19)).toBeAttached();
  expect(await page.getByTestId("history-row").count()).toBeGreaterThanOrEqual(20);
  await screenshot(page, "machine-drifting-node");
});

test("admin creates a user who can sign in; once deactivated they cannot", async ({ page, browser }) => {
  await signIn(page, ACCOUNTS.acmeAdmin);
  await page.goto("/admin");
  await expect(page.getByRole("heading", { level: 1, name: "Admin" })).toBeVisible();
  // A customer admin can only hand out engineer and customer-admin roles.
  await expect(page.getByRole("combobox", { name: "Role", exact: true }).locator("option")).toHaveText([
    "Engineer",
    "Customer admin",
  ]);
  const email = `e2e-${Date.now()}@acme.example`;
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Name", { exact: true }).fill("E2E Person");
  await page.getByLabel("Initial password").fill("short");
  await page.getByRole("button", { name: "Create user" }).click();
  await expect(page.locator(".field-error").filter({ hasText: "at least 8" })).toBeVisible();
  await page.getByLabel("Initial password").fill("e2e-password-1");
  await page.getByRole("button", { name: "Create user" }).click();
  const row = page.locator(`[data-testid="user-row"][data-email="${email}"]`);
  await expect(row).toContainText("Active");
  await expect(row).toContainText("Acme");
  await screenshot(page, "admin");

  const other = await browser.newContext();
  const theirs = await other.newPage();
  await signIn(theirs, email, "e2e-password-1");
  await expect(theirs.getByTestId("current-user")).toContainText("Engineer");

  await page.getByRole("button", { name: `Deactivate ${email}` }).click();
  await page.getByRole("dialog", { name: "Deactivate this user?" }).getByRole("button", { name: "Deactivate" }).click();
  await expect(row).toContainText("Deactivated");

  // Their open session ends at once, and signing in again is refused.
  await theirs.goto("/jobs");
  await expect(theirs).toHaveURL(/\/signin/);
  await theirs.getByLabel("Email").fill(email);
  await theirs.getByLabel("Password").fill("e2e-password-1");
  await theirs.getByRole("button", { name: "Sign in" }).click();
  await expect(theirs.getByRole("alert").filter({ hasText: "Wrong email or password" })).toBeVisible();
  await other.close();
});

test("root admin manages customers; engineers get a 403 page", async ({ page }) => {
  await signIn(page, ACCOUNTS.root);
  await page.goto("/admin");
  const name = `E2E Customer ${Date.now()}`;
  await page.getByLabel("New customer name").fill(name);
  await page.getByRole("button", { name: "Add customer" }).click();
  await expect(page.getByTestId("customer-row").filter({ hasText: name })).toBeVisible();
  await expect(
    page.getByRole("combobox", { name: "Customer", exact: true }).locator("option", { hasText: name }),
  ).toHaveCount(1);
  await screenshot(page, "admin-root");

  // Leave the page before dropping the cookie, so its next poll cannot race signIn below.
  await page.goto("about:blank");
  await page.context().clearCookies();
  await signIn(page, ACCOUNTS.acmeEngineer);
  await page.goto("/admin");
  await expect(page.getByTestId("forbidden")).toContainText("403");
});

test("phone width: new job, fleet and admin fit the screen", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, ACCOUNTS.acmeAdmin);
  for (const [path, heading] of [
    ["/jobs/new", "New job"],
    ["/fleet", "Fleet"],
    ["/admin", "Admin"],
  ] as const) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, path).toBeLessThanOrEqual(1);
  }
  await screenshot(page, "admin-phone");
});
