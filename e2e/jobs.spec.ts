import { gzipSync } from "node:zlib";
import { expect, test, type Page } from "@playwright/test";
import { ACCOUNTS, API, apiGet, apiToken, screenshot, screenshotBothThemes, signIn } from "./helpers";

const rowIds = (page: Page) =>
  page.locator("tbody tr[data-job-id]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-job-id")));
const total = (page: Page) =>
  page.getByRole("heading", { name: "Jobs", level: 1 }).locator("xpath=following-sibling::p");

async function expectRowsToBe(page: Page, ids: string[]) {
  await expect.poll(() => rowIds(page)).toEqual(ids);
}

test.describe("who sees which jobs", () => {
  for (const [who, email] of [
    ["acme engineer", ACCOUNTS.acmeEngineer],
    ["acme admin", ACCOUNTS.acmeAdmin],
    ["globex admin", ACCOUNTS.globexAdmin],
    ["staff", ACCOUNTS.staff],
    ["root", ACCOUNTS.root],
  ] as const) {
    test(`${who}: the table holds exactly the jobs the API returns`, async ({ page, request }) => {
      const api = await apiGet(request, email, "/jobs", { per_page: 100 });
      await signIn(page, email);
      await page.goto("/jobs?per_page=100");
      await expect(total(page)).toHaveText(new RegExp(`^${api.pagination.total} jobs?`));
      await expectRowsToBe(
        page,
        api.results.map((j: any) => j.id),
      );
    });
  }

  test("engineers see only their own jobs, admins their customer's, root both customers", async ({ request }) => {
    const ids = async (email: string) =>
      new Set<string>((await apiGet(request, email, "/jobs", { per_page: 300 })).results.map((j: any) => j.id));
    const [eng, acme, globex, root] = await Promise.all([
      ids(ACCOUNTS.acmeEngineer),
      ids(ACCOUNTS.acmeAdmin),
      ids(ACCOUNTS.globexAdmin),
      ids(ACCOUNTS.root),
    ]);
    expect(eng.size).toBeGreaterThan(0);
    expect(eng.size).toBeLessThan(acme.size);
    for (const id of eng) expect(acme.has(id)).toBe(true);
    for (const id of globex) expect(acme.has(id)).toBe(false);
    expect(root.size).toBe(acme.size + globex.size);
  });
});

test("filter by state and tags: rows match the API, the URL carries the filters, Back restores them", async ({
  page,
  request,
}) => {
  const email = ACCOUNTS.acmeAdmin;
  const { tags } = await apiGet(request, email, "/jobs/tags");
  // A tag used by completed jobs, so the combined filter is not empty.
  const completed = await apiGet(request, email, "/jobs", { state: "completed", per_page: 300 });
  const tag: string = completed.results.find((j: any) => j.tags.length)?.tags[0] ?? tags[0];
  await signIn(page, email);
  await page.goto("/jobs");

  await page.getByLabel("Filter by state").selectOption("completed");
  await expect(page).toHaveURL(/[?&]state=completed/);
  const byState = await apiGet(request, email, "/jobs", { state: "completed" });
  await expectRowsToBe(
    page,
    byState.results.map((j: any) => j.id),
  );
  await expect(total(page)).toHaveText(new RegExp(`^${byState.pagination.total} jobs?`));
  for (const s of await page
    .locator("tbody [data-state]")
    .evaluateAll((els) => els.map((e) => e.getAttribute("data-state"))))
    expect(s).toBe("completed");

  await page.getByLabel("Filter by tag").fill(tag);
  await page.getByLabel("Filter by tag").press("Enter");
  await expect(page).toHaveURL(new RegExp(`[?&]tags=${encodeURIComponent(tag)}`));
  const byBoth = await apiGet(request, email, "/jobs", { state: "completed", tags: [tag] });
  expect(byBoth.results.length).toBeGreaterThan(0);
  await expectRowsToBe(
    page,
    byBoth.results.map((j: any) => j.id),
  );

  await page.goBack();
  await expect(page).not.toHaveURL(/tags=/);
  await expect(page).toHaveURL(/state=completed/);
  await expectRowsToBe(
    page,
    byState.results.map((j: any) => j.id),
  );
  await expect(page.getByLabel("Filter by state")).toHaveValue("completed");

  await page.goBack();
  await expect(page).not.toHaveURL(/state=/);
  await expect(page.getByLabel("Filter by state")).toHaveValue("");

  // The shared URL opens the same view.
  await page.goto(`/jobs?state=completed&tags=${encodeURIComponent(tag)}`);
  await expectRowsToBe(
    page,
    byBoth.results.map((j: any) => j.id),
  );
});

test("search with /, sorting headers and pagination follow the API", async ({ page, request }) => {
  const email = ACCOUNTS.root;
  await signIn(page, email);
  await page.goto("/jobs");
  // The "/" shortcut is attached once the page has hydrated: press until it takes.
  await expect(async () => {
    await page.locator("body").click({ position: { x: 5, y: 5 } });
    await page.keyboard.press("/");
    await expect(page.getByLabel("Search jobs by name")).toBeFocused({ timeout: 500 });
  }).toPass({ timeout: 10_000 });

  await page.getByRole("button", { name: /^Sort by Name/ }).click();
  await expect(page).toHaveURL(/sort_by=name&sort_order=asc/);
  const byName = await apiGet(request, email, "/jobs", { sort_by: "name", sort_order: "asc" });
  await expectRowsToBe(
    page,
    byName.results.map((j: any) => j.id),
  );
  await expect(page.getByRole("columnheader", { name: /Name/ })).toHaveAttribute("aria-sort", "ascending");

  await page.getByLabel("Per page").selectOption("10");
  await page.getByRole("button", { name: "Next page" }).click();
  await expect(page).toHaveURL(/page=2/);
  const page2 = await apiGet(request, email, "/jobs", { sort_by: "name", sort_order: "asc", per_page: 10, page: 2 });
  await expectRowsToBe(
    page,
    page2.results.map((j: any) => j.id),
  );

  const word = page2.results[0].name.split(/[\s-]/)[0];
  await page.getByLabel("Search jobs by name").fill(word);
  await expect(page).toHaveURL(new RegExp(`name=${encodeURIComponent(word)}`));
  const searched = await apiGet(request, email, "/jobs", {
    name: word,
    sort_by: "name",
    sort_order: "asc",
    per_page: 10,
  });
  await expectRowsToBe(
    page,
    searched.results.map((j: any) => j.id),
  );
});

test("an invalid filter combination shows the API's message", async ({ page }) => {
  await signIn(page, ACCOUNTS.acmeAdmin);
  await page.goto("/jobs?node_count_min=8&node_count_max=2");
  await expect(
    page.getByRole("alert").filter({ hasText: "node_count_min must not exceed node_count_max" }),
  ).toBeVisible();
});

test("tag a job inline, then find it by that tag", async ({ page, request }) => {
  const email = ACCOUNTS.acmeEngineer;
  const tag = `e2e-inline-${Date.now().toString(36)}`;
  await signIn(page, email);
  await page.goto("/jobs");
  const row = page.locator("tbody tr[data-job-id]").first();
  const id = await row.getAttribute("data-job-id");
  const name = (await row.locator(".name-cell a").textContent())!;
  await row.getByRole("button", { name: `Add tag to ${name}` }).click();
  await row.getByLabel(`New tag for ${name}`).fill(tag);
  await row.getByLabel(`New tag for ${name}`).press("Enter");
  await expect(row.locator(".tag", { hasText: tag })).toBeVisible();
  expect((await apiGet(request, email, `/jobs/${id}`)).tags).toContain(tag);

  // The same schema as the API rejects bad tags before sending them.
  await row.getByRole("button", { name: `Add tag to ${name}` }).click();
  await row.getByLabel(`New tag for ${name}`).fill("bad<tag");
  await row.getByLabel(`New tag for ${name}`).press("Enter");
  await expect(row.getByRole("alert")).toContainText("Tags must not contain any of");
  await row.getByLabel(`New tag for ${name}`).press("Escape");

  await page.getByLabel("Filter by tag").fill(tag);
  await page.getByLabel("Filter by tag").press("Enter");
  await expectRowsToBe(page, [id!]);

  await page.getByRole("button", { name: `Remove tag ${tag} from ${name}` }).click();
  await expect(page.getByRole("heading", { name: "No jobs match these filters" })).toBeVisible();
  expect((await apiGet(request, email, `/jobs/${id}`)).tags).not.toContain(tag);
});

test("bulk-tag two selected jobs", async ({ page, request }) => {
  const email = ACCOUNTS.acmeAdmin;
  const tag = `e2e-bulk-${Date.now().toString(36)}`;
  await signIn(page, email);
  await page.goto("/jobs");
  const rows = page.locator("tbody tr[data-job-id]");
  const ids: string[] = [];
  for (const i of [1, 2]) {
    const row = rows.nth(i);
    ids.push((await row.getAttribute("data-job-id"))!);
    await row.getByRole("checkbox").check();
  }
  const bar = page.getByRole("region", { name: "Bulk actions" });
  await expect(bar).toContainText("2 selected");
  await bar.getByLabel("Tag for selected jobs").fill(tag);
  await bar.getByRole("button", { name: "Add tag" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Tagged 2 jobs with “${tag}”` })).toBeVisible();
  for (const id of ids) expect((await apiGet(request, email, `/jobs/${id}`)).tags).toContain(tag);
  await expect(rows.nth(1).locator(".tag", { hasText: tag })).toBeVisible();
  // Escape (outside a text field) drops the selection.
  await page.getByRole("heading", { name: "Jobs", level: 1 }).click();
  await page.keyboard.press("Escape");
  await expect(bar).toBeHidden();

  await page.goto(`/jobs?tags=${tag}`);
  await expect.poll(async () => (await rowIds(page)).sort()).toEqual([...ids].sort());
  const api = await apiGet(request, email, "/jobs", { tags: [tag] });
  expect(api.pagination.total).toBe(2);
});

test("at 1280×800 the jobs table fits: no horizontal scroll, the performance cell in view, long names truncated", async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await signIn(page, ACCOUNTS.acmeAdmin);
  await page.goto("/jobs?sort_by=name&sort_order=desc");
  const first = page.locator("tbody tr[data-job-id]").first();
  await expect(first).toBeVisible();
  const perf = first.locator("td.perf-cell");
  await expect(perf).toBeVisible();
  const box = (await perf.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(1280);
  expect(await page.evaluate(() => document.scrollingElement!.scrollWidth <= window.innerWidth)).toBe(true);
  const wrap = page.locator(".table-wrap").first();
  expect(await wrap.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  // A name longer than its column ends in an ellipsis on one line; the full name is the link's title.
  const link = first.locator(".name-cell a");
  const name = (await link.textContent())!;
  await expect(link).toHaveAttribute("title", name);
  const oneLine = await link.evaluate(
    (el) => el.getBoundingClientRect().height < 2 * parseFloat(getComputedStyle(el).fontSize),
  );
  expect(oneLine).toBe(true);
  await screenshot(page, "jobs-1280");
});

test("screenshots of /jobs in light, dark and at phone width", async ({ page }) => {
  await signIn(page, ACCOUNTS.root);
  await page.goto("/jobs");
  await expect(page.locator("tbody tr[data-job-id]").first()).toBeVisible();
  await screenshotBothThemes(page, "jobs");
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(page.getByRole("button", { name: "Open menu" })).toBeVisible();
  await screenshot(page, "jobs-phone");
});

test("the Jobs page's first-load JavaScript stays within 250 kB gzipped", async ({ page }) => {
  await signIn(page, ACCOUNTS.acmeAdmin);
  const sizes = new Map<string, number>();
  page.on("response", async (res) => {
    if (res.request().resourceType() !== "script") return;
    const body = await res.body().catch(() => null);
    if (body) sizes.set(res.url(), gzipSync(body).length);
  });
  // "load" waits for every script the HTML references (polling keeps the network from idling).
  await page.goto("/jobs", { waitUntil: "load" });
  await expect(page.locator("tbody tr[data-job-id]").first()).toBeVisible();
  const total = [...sizes.values()].reduce((a, b) => a + b, 0);
  console.log(`/jobs first-load JS: ${(total / 1024).toFixed(1)} kB gzipped in ${sizes.size} scripts`);
  expect(total).toBeLessThanOrEqual(250 * 1024);
});

test("a listed job changes state without a reload while jobs are live", async ({ page, request }) => {
  const token = await apiToken(request, ACCOUNTS.root);
  const name = `e2e-live-${Date.now().toString(36)}`;
  const created = await request.post(`${API}/jobs`, {
    headers: { Authorization: `Bearer ${token}` },
    data: { name, benchmarks: ["quick_mark"], node_count: 2 },
  });
  expect(created.status()).toBe(201);
  const job = await created.json();

  await signIn(page, ACCOUNTS.root);
  // Only this job listed: the table must poll for a job that waits for its nodes too, not
  // only while some other listed job happens to be running.
  await page.goto(`/jobs?name=${name}`);
  const row = page.locator(`tr[data-job-id="${job.id}"]`);
  await expect(page.locator("tr[data-job-id]")).toHaveCount(1);
  await expect(row.locator("[data-state]")).toHaveAttribute("data-state", "created");

  // A node joins through the agent protocol (job token): the job is now starting.
  const joined = await request.post(`${API}/jobs/current/tasks`, {
    headers: { Authorization: `Bearer ${job.token}` },
    data: { machine_uuid: `e2e-node-${Date.now()}`, gpu_model: "NVIDIA H100 80GB HBM3", gpu_count: 8 },
  });
  expect(joined.status(), await joined.text()).toBe(201);
  await expect(row.locator("[data-state]")).toHaveAttribute("data-state", "starting", { timeout: 15_000 });
  await expect(row).toContainText("1/2");
});
