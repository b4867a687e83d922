import { expect, test } from "@playwright/test";
import { ACCOUNTS, apiGet, signIn } from "./helpers";

test("signed-out visitors are sent to sign in; / goes to the jobs list", async ({ page }) => {
  await page.goto("/jobs");
  await expect(page).toHaveURL(/\/signin/);
  await signIn(page, ACCOUNTS.acmeEngineer);
  await page.goto("/");
  await expect(page).toHaveURL(/\/jobs$/);
  await expect(page.getByRole("heading", { name: "Jobs", level: 1 })).toBeVisible();
});

test("wrong password shows an error and stays on sign in", async ({ page }) => {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(ACCOUNTS.acmeEngineer);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Wrong email or password" })).toBeVisible();
  await expect(page).toHaveURL(/\/signin/);
});

const NAV = ["Jobs", "New job", "Performance", "Fleet", "API"];
for (const [who, email, admin, role] of [
  ["engineer", ACCOUNTS.acmeEngineer, false, "Engineer"],
  ["customer admin", ACCOUNTS.acmeAdmin, true, "Customer admin"],
  ["staff", ACCOUNTS.staff, false, "Staff"],
  ["root admin", ACCOUNTS.root, true, "Root admin"],
] as const) {
  test(`${who}: navigation shows ${admin ? "" : "no "}Admin, and who is signed in`, async ({ page }) => {
    await signIn(page, email);
    const nav = page.getByRole("navigation", { name: "Main" });
    for (const name of NAV) await expect(nav.getByRole("link", { name: new RegExp(`^${name}`) })).toBeVisible();
    await expect(nav.getByRole("link", { name: "Admin" })).toHaveCount(admin ? 1 : 0);
    await expect(page.getByTestId("current-user")).toContainText(role);
  });
}

test("the Performance badge shows the API's alert_job_count for the signed-in user", async ({ page, request }) => {
  for (const email of [ACCOUNTS.acmeEngineer, ACCOUNTS.root]) {
    const { alert_job_count } = await apiGet(request, email, "/jobs/stats");
    await signIn(page, email);
    await expect(page.getByTestId("performance-badge")).toHaveText(String(alert_job_count));
    // Leave the dashboard first: once the cookie is gone its next poll answers 401 and the
    // page navigates to sign in by itself, racing the next signIn's navigation.
    await page.goto("about:blank");
    await page.context().clearCookies();
  }
});

test("theme toggle persists across reloads without flashing", async ({ page }) => {
  await signIn(page, ACCOUNTS.acmeEngineer);
  const start = await page.evaluate(() => document.documentElement.dataset.theme);
  const other = start === "dark" ? "light" : "dark";
  await page.getByRole("button", { name: `Switch to ${other} theme` }).click();
  await expect(page.locator("html")).toHaveAttribute("data-theme", other);
  await page.reload();
  // Set by the pre-paint script: present in the first committed DOM, not after hydration.
  await expect(page.locator("html")).toHaveAttribute("data-theme", other);
});

test("phone width: navigation collapses behind a menu button", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 800 });
  await signIn(page, ACCOUNTS.acmeAdmin);
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav).toBeHidden();
  await page.getByRole("button", { name: "Open menu" }).click();
  await expect(nav).toBeVisible();
  await nav.getByRole("link", { name: /^Performance/ }).click();
  await expect(page).toHaveURL(/\/performance/);
  await expect(nav).toBeHidden();
});

test("sign out ends the session", async ({ page }) => {
  await signIn(page, ACCOUNTS.acmeEngineer);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin/);
  await page.goto("/jobs");
  await expect(page).toHaveURL(/\/signin/);
});

test("a session that ends while a page is open leads back to sign in", async ({ page }) => {
  await signIn(page, ACCOUNTS.acmeEngineer);
  // Ended jobs only: nothing live, so no background refresh races the step below.
  await page.goto("/jobs?state=completed");
  await expect(page.getByLabel("Filter by state")).toHaveValue("completed");
  await page.context().clearCookies();
  // The next API call answers 401 and the page sends the person to sign in: a new filter
  // here, unless a background refresh (the badge) got there first and the page already left.
  await page
    .getByLabel("Filter by state")
    .selectOption("failed", { timeout: 5000 })
    .catch(() => undefined);
  await expect(page).toHaveURL(/\/signin/);
});
