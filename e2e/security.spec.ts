import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Page } from "@playwright/test";
import { ACCOUNTS, API, apiToken, signIn } from "./helpers";

// Browser attacks against a signed-in customer admin: a page on another port of the same host
// (same site, so even SameSite=Lax session cookies go along) tries to frame the dashboard,
// post a form and fire no-cors fetches at the API. Also: every page passes its own CSP, and
// callbackUrl cannot send the browser to another host.

let attacker: http.Server;
let attackerOrigin = "";
let attackerPage = "";

test.beforeAll(async () => {
  attacker = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html" }).end(attackerPage);
  });
  await new Promise<void>((r) => attacker.listen(0, "127.0.0.1", r));
  attackerOrigin = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
});
test.afterAll(() => new Promise<void>((r) => attacker.close(() => r())));

/** Records every CSP violation the page reports, from its first script on. */
async function watchCsp(page: Page): Promise<string[]> {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  await page.exposeFunction("__reportCsp", (v: string) => violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) =>
      (window as unknown as { __reportCsp: (v: string) => void }).__reportCsp(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  return violations;
}

test("every page runs under its CSP without a violation, and responses carry the security headers", async ({
  page,
  request,
}) => {
  const violations = await watchCsp(page);
  await signIn(page, ACCOUNTS.acmeAdmin);
  const token = await apiToken(request, ACCOUNTS.acmeAdmin);
  const jobs = (
    await (
      await request.get(`${API}/jobs?state=completed&per_page=1`, { headers: { Authorization: `Bearer ${token}` } })
    ).json()
  ).results;
  for (const path of ["/jobs", `/jobs/${jobs[0].id}`, "/fleet", "/performance", "/admin", "/jobs/new", "/api-docs"]) {
    const res = await page.goto(path);
    const headers = res!.headers();
    expect(headers["content-security-policy"], path).toMatch(/script-src [^;]*'nonce-[^']+'/);
    expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("same-origin");
    await expect(page.getByTestId("current-user")).toBeVisible();
    await page.waitForLoadState("networkidle");
  }
  // Hydrated: client-side navigation works, so the framework's scripts ran.
  await page.getByRole("link", { name: "Fleet" }).first().click();
  await expect(page).toHaveURL(/\/fleet/);
  expect(violations).toEqual([]);

  const api = await request.get(`${API}/benchmarks`, { headers: { Authorization: `Bearer ${token}` } });
  expect(api.headers()["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
  expect(api.headers()["x-frame-options"]).toBe("DENY");
  expect(api.headers()["x-content-type-options"]).toBe("nosniff");
});

test("another origin can neither frame the dashboard nor make a signed-in browser create jobs or users", async ({
  page,
  request,
  baseURL,
}) => {
  await signIn(page, ACCOUNTS.acmeAdmin);
  const stamp = Date.now();
  const jobName = `csrf-form-${stamp}`;
  const fetchJob = `csrf-fetch-${stamp}`;
  const evilEmail = `evil-${stamp}@attacker.example`;
  // A text/plain form whose body reads as JSON, and no-cors fetches: the classic CSRF shapes.
  attackerPage = `<!doctype html><html><body>
    <iframe id="frame" src="${baseURL}/jobs" width="800" height="600"></iframe>
    <form id="f" method="POST" action="${baseURL}${API}/jobs" enctype="text/plain" target="sink">
      <input name='{"name":"${jobName}","benchmarks":["quick_mark"],"pad":"' value='"}'>
    </form>
    <iframe name="sink"></iframe>
    <script>
      fetch("${baseURL}${API}/jobs", { method: "POST", mode: "no-cors", credentials: "include", headers: { "content-type": "text/plain" }, body: JSON.stringify({ name: "${fetchJob}", benchmarks: ["quick_mark"] }) });
      fetch("${baseURL}${API}/users", { method: "POST", mode: "no-cors", credentials: "include", headers: { "content-type": "text/plain" }, body: JSON.stringify({ email: "${evilEmail}", password: "attacker-chosen-pw", role: "customer_admin" }) });
      document.getElementById("f").submit();
    </script></body></html>`;
  const sink = page.waitForResponse(
    (r) =>
      r.url().endsWith(`${API}/jobs`) &&
      r.request().method() === "POST" &&
      r.request().postData()?.includes(jobName) === true,
  );
  await page.goto(attackerOrigin);
  const formAnswer = await sink;
  expect(formAnswer.status(), "the cross-site form post reached the API and was refused").toBe(403);
  await page.waitForLoadState("networkidle");

  // The frame was refused: it holds no dashboard (Chromium shows its error page instead).
  const frame = page.frames().find((f) => f !== page.mainFrame() && f.name() !== "sink");
  expect(frame).toBeTruthy();
  expect(await frame!.locator("[data-testid=current-user]").count()).toBe(0);

  // Nothing was created.
  const token = await apiToken(request, ACCOUNTS.acmeAdmin);
  const auth = { headers: { Authorization: `Bearer ${token}` } };
  for (const name of [jobName, fetchJob]) {
    const found = await (await request.get(`${API}/jobs?name=${encodeURIComponent(name)}`, auth)).json();
    expect(found.pagination.total, name).toBe(0);
  }
  const users = await (await request.get(`${API}/users?q=${encodeURIComponent(evilEmail)}`, auth)).json();
  expect(users.pagination?.total ?? users.results?.length ?? users.users?.length).toBe(0);
  // The same session works from the dashboard's own page.
  await page.goto("/jobs");
  await expect(page.getByTestId("current-user")).toContainText(ACCOUNTS.acmeAdmin);
});

const BYPASSES = [
  "/%5Cevil.example/x",
  "/%09/evil.example/x",
  "//evil.example",
  "https://evil.example",
  "/%5C%5Cevil.example",
  "/.//evil.example",
  "%2F%2Fevil.example",
];

test("callbackUrl never leaves the origin: signed in (server redirect) and after the form", async ({
  page,
  baseURL,
}) => {
  const origin = new URL(baseURL!).origin;
  // Should anything escape, it lands here (our own URLs carry "evil.example" in their query).
  await page.route(
    (url) => url.hostname.endsWith("evil.example"),
    (route) => route.fulfill({ status: 200, body: "escaped" }),
  );
  await page.goto(`/signin?callbackUrl=${BYPASSES[0]}`);
  await page.getByLabel("Email").fill(ACCOUNTS.acmeEngineer);
  await page.getByLabel("Password").fill("benchboard-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/signin"));
  expect(new URL(page.url()).origin).toBe(origin);
  for (const bad of BYPASSES) {
    await page.goto(`/signin?callbackUrl=${bad}`);
    await page.waitForLoadState("load");
    expect(new URL(page.url()).origin, bad).toBe(origin);
    expect(new URL(page.url()).pathname, bad).toBe("/jobs");
  }
  await page.goto(`/signin?callbackUrl=${encodeURIComponent("/fleet?gpu_model=x")}`);
  await expect(page).toHaveURL(/\/fleet\?gpu_model=x$/);
});

test("under next start a rotating X-Forwarded-For is not a new address", async ({ request }) => {
  const username = `nobody-${Date.now()}@xff.example`;
  const statuses: number[] = [];
  // 5 free failures per username and address, then a hold: with the header believed, each
  // attempt would be a new address and none would be held.
  for (let i = 0; i < 7; i++) {
    const res = await request.post(`${API}/token`, {
      form: { username, password: "guess" },
      headers: { "X-Forwarded-For": `198.51.100.${i}` },
    });
    statuses.push(res.status());
  }
  expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 429]);
});

test("API answers are never stored by a cache; under next start only those over 1 KB are gzipped", async ({
  request,
}) => {
  const token = await apiToken(request, ACCOUNTS.acmeAdmin);
  const headers = { Authorization: `Bearer ${token}`, "Accept-Encoding": "gzip" };
  const small = await request.get(`${API}/jobs/stats`, { headers });
  expect(small.status()).toBe(200);
  expect((await small.body()).length).toBeLessThan(1024);
  expect(small.headers()["cache-control"]).toBe("no-store, no-transform");
  expect(small.headers()["content-encoding"]).toBeUndefined();
  const large = await request.get(`${API}/jobs?per_page=50`, { headers });
  expect(large.status()).toBe(200);
  expect((await large.body()).length).toBeGreaterThan(1024);
  expect(large.headers()["cache-control"]).toBe("no-store");
  expect(large.headers()["content-encoding"]).toBe("gzip");
});
