import { expect, type APIRequestContext, type BrowserContext, type Page } from "@playwright/test";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const DEMO_PASSWORD = "benchboard-demo";
export const API = "/api/silicon-mark/v1";
// The PostgreSQL pass keeps its screenshots apart: CI runs both passes at once (.ci/run).
export const ARTIFACTS = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  "artifacts",
  process.env.E2E_DATABASE_BASE_URL ? "postgres" : "",
);

export const ACCOUNTS = {
  root: "root@benchboard.local",
  staff: "staff@benchboard.local",
  acmeAdmin: "admin@acme.example",
  acmeEngineer: "engineer@acme.example",
  globexAdmin: "admin@globex.example",
  globexEngineer: "engineer@globex.example",
} as const;

type Cookies = Awaited<ReturnType<BrowserContext["cookies"]>>;

// The session cookies of each account this worker has signed in through the form. A later
// sign-in as the same account starts from them, as a person's second browser tab would: the
// form, its password check and the redirect cost about half of the second each sign-in took,
// 60 times a pass. The form still runs for every account's first sign-in, whenever a kept
// session is refused (a deactivated user: the dashboard sends it back to /signin), and in the
// tests about signing in, which drive it themselves.
const sessions = new Map<string, Cookies>();

/** Signs in (through the real form the first time for each account) and waits for the dashboard. */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  const account = `${email}\n${password}`;
  const kept = sessions.get(account);
  if (kept) {
    await page.context().addCookies(kept);
    await page.goto("/jobs");
    if (!new URL(page.url()).pathname.startsWith("/signin")) {
      await expect(page.getByTestId("current-user")).toContainText(email);
      return;
    }
  }
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/signin"));
  await expect(page.getByTestId("current-user")).toContainText(email);
  sessions.set(account, await page.context().cookies());
}

/** A bearer token from the OAuth2 password endpoint, to compare what the UI shows with the API. */
export async function apiToken(request: APIRequestContext, email: string, password = DEMO_PASSWORD): Promise<string> {
  const res = await request.post(`${API}/token`, { form: { username: email, password } });
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()).access_token;
}

/** GET an API path as `email`; `query` values that are arrays become repeated parameters. */
export async function apiGet<T = any>(
  request: APIRequestContext,
  email: string,
  pathname: string,
  query: Record<string, string | number | (string | number)[]> = {},
): Promise<T> {
  const token = await apiToken(request, email);
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) for (const item of Array.isArray(v) ? v : [v]) qs.append(k, String(item));
  const res = await request.get(`${API}${pathname}${qs.size ? `?${qs}` : ""}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(res.status(), await res.text()).toBe(200);
  return res.json();
}

/** Acme's latest completed cluster_network job of at least `minNodes` nodes (the demo data has weekly ones). */
export async function completedClusterJob(request: APIRequestContext, minNodes = 2) {
  const list = await apiGet(request, ACCOUNTS.acmeAdmin, "/jobs", {
    state: "completed",
    benchmark_id: "cluster_network",
    node_count_min: minNodes,
    per_page: 1,
  });
  expect(list.results.length, "demo data has a completed multi-node job").toBe(1);
  return list.results[0] as { id: string; name: string; node_count: number };
}

/** Full-page screenshot saved as a CI artifact: e2e/artifacts/<name>.png. */
export async function screenshot(page: Page, name: string) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Switches the theme the way a person would, through the toggle. */
export async function useTheme(page: Page, theme: "light" | "dark") {
  const current = await page.evaluate(() => document.documentElement.dataset.theme);
  if (current !== theme) await page.getByRole("button", { name: `Switch to ${theme} theme` }).click();
  await expect(page.locator("html")).toHaveAttribute("data-theme", theme);
}

/** Saves `<name>-light.png` and `<name>-dark.png`, then leaves the page in light again. */
export async function screenshotBothThemes(page: Page, name: string) {
  for (const theme of ["light", "dark"] as const) {
    await useTheme(page, theme);
    await screenshot(page, `${name}-${theme}`);
  }
  await useTheme(page, "light");
}
