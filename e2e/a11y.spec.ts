import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { ACCOUNTS, apiGet, signIn } from "./helpers";

// axe-core on every page, in both themes at desktop and phone width: WCAG 2.1 AA must hold
// with zero violations. The theme follows the emulated prefers-color-scheme (a fresh context
// stores no choice), the path the pre-paint script takes for a new visitor.
const WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const VARIANTS = [
  { theme: "light", width: 1366, height: 860 },
  { theme: "dark", width: 1366, height: 860 },
  { theme: "light", width: 390, height: 844 },
  { theme: "dark", width: 390, height: 844 },
] as const;

// Four loads and scans per page; a failing page must not skip the others (no serial mode:
// after a failure the next worker signs in again in beforeAll).
test.describe.configure({ timeout: 240_000 });
// What the pages render does not depend on the database: CI runs these scans (about 44) in
// one of its two passes only, the PostgreSQL one, which has the lighter server (.ci/run: the
// PGlite pass runs first, with --grep-invert "axe:").

let ctx: BrowserContext;
let page: Page;

async function newPage(browser: Browser) {
  ctx = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  page = await ctx.newPage();
}

/** Violations as short readable lines: rule, impact, the element and what is wrong. */
async function violations(p: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page: p }).withTags(WCAG_21_AA).analyze();
  return violations.flatMap((v) =>
    v.nodes.map(
      (n) => `${v.id} (${v.impact}) ${n.target.join(" ")}: ${n.failureSummary?.split("\n").slice(1).join(" ").trim()}`,
    ),
  );
}

/** Loads `path` in each theme and width, waits for `ready`, and scans; one list for all four. */
async function scanAllVariants(path: string, ready: () => Promise<void>) {
  const found: string[] = [];
  for (const v of VARIANTS) {
    await page.setViewportSize({ width: v.width, height: v.height });
    await page.emulateMedia({ colorScheme: v.theme });
    await page.goto(path);
    await expect(page.locator("html")).toHaveAttribute("data-theme", v.theme);
    await ready();
    for (const line of await violations(page)) found.push(`${v.theme} ${v.width}px: ${line}`);
  }
  if (found.length) console.log(`${path}\n  ${found.join("\n  ")}`);
  expect(found).toEqual([]);
}

const heading = (name: string | RegExp) => async () => {
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  // Data has arrived and skeletons are gone (pages that poll still go idle between polls).
  await page.waitForLoadState("networkidle");
  await expect(page.locator(".skeleton")).toHaveCount(0);
};

test.describe("signed out", () => {
  test.beforeAll(async ({ browser }) => newPage(browser));
  test.afterAll(() => ctx.close());
  test("axe: /signin", async () => {
    await scanAllVariants("/signin", async () => expect(page.getByRole("button", { name: "Sign in" })).toBeVisible());
  });
});

test.describe("signed in", () => {
  let jobPath = "";
  let machinePath = "";
  test.beforeAll(async ({ browser, request }) => {
    await newPage(browser);
    await signIn(page, ACCOUNTS.root);
    const done = await apiGet(request, ACCOUNTS.root, "/jobs", {
      state: "completed",
      benchmark_id: "cluster_network",
      node_count_min: 2,
      per_page: 1,
    });
    jobPath = `/jobs/${done.results[0].id}`;
    await page.goto("/fleet");
    machinePath = (await page
      .getByRole("link", { name: /^History of machine/ })
      .first()
      .getAttribute("href"))!;
  });
  test.afterAll(() => ctx.close());

  test("axe: /jobs", () => scanAllVariants("/jobs", heading("Jobs")));
  test("axe: a job", () => scanAllVariants(jobPath, heading(/.+/)));
  test("axe: /jobs/new", () => scanAllVariants("/jobs/new", heading(/New job/i)));
  test("axe: /performance", () => scanAllVariants("/performance", heading("Performance")));
  test("axe: /fleet", () => scanAllVariants("/fleet", heading("Fleet")));
  test("axe: a machine", () => scanAllVariants(machinePath, heading(/.+/)));
  test("axe: /admin", () => scanAllVariants("/admin", heading("Admin")));
  test("axe: /schedules", () => scanAllVariants("/schedules", heading("Schedules")));
  test("axe: /webhooks", () => scanAllVariants("/webhooks", heading("Webhooks")));
  test("axe: /api-docs", () => scanAllVariants("/api-docs", heading("API reference")));
});
