import { expect, test, type APIRequestContext } from "@playwright/test";
import { ACCOUNTS, API, apiToken, screenshot, signIn } from "./helpers";

/** Enrolls a machine the way a service agent does (POST /agents/enroll with the token). */
async function enroll(request: APIRequestContext, token: string, uuid: string) {
  return request.post(`${API}/agents/enroll`, {
    headers: { Authorization: `Bearer ${token}` },
    data: { machine_uuid: uuid, hostname: `${uuid}.e2e`, gpu_model: "NVIDIA H100 80GB HBM3", gpu_count: 8 },
  });
}

test("an enrollment token is shown once; a machine enrolls with it until it is revoked", async ({ page, request }) => {
  const name = `e2e rack ${Date.now()}`;
  await signIn(page, ACCOUNTS.acmeAdmin);
  await page.goto("/fleet");
  await page.getByLabel("New enrollment token").fill(name);
  await page.getByRole("button", { name: "Create token" }).click();
  const secret = (await page.getByTestId("enrollment-token-secret").textContent())!;
  expect(secret).toMatch(/^bbe_/);
  await expect(page.getByTestId("new-enrollment-token")).toContainText("shown only once");
  await screenshot(page, "fleet-enrollment-token");

  // Never again: not after a reload, not in the list.
  await page.reload();
  const row = page.getByTestId("enrollment-token-row").filter({ hasText: name });
  await expect(row).toContainText("never");
  await expect(page.getByTestId("new-enrollment-token")).toHaveCount(0);
  expect(await page.content()).not.toContain(secret);

  const uuid = `e2e-enroll-${Date.now()}`;
  expect((await enroll(request, secret, uuid)).status()).toBe(201);
  const machine = page.getByTestId("enrolled-machine-row").filter({ hasText: `${uuid}.e2e` });
  await expect(machine.getByTestId("agent-status")).toHaveAttribute("data-status", "idle");
  await expect(row).not.toContainText("never");

  page.once("dialog", (d) => d.accept());
  await row.getByRole("button", { name: `Revoke token ${name}` }).click();
  await expect(row).toContainText("Revoked");
  const refused = await enroll(request, secret, `${uuid}-2`);
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error.code).toBe("PERMISSION_DENIED");
  // The machine enrolled before the revocation is still there.
  await expect(machine).toBeVisible();
});

test("a schedule is created from the UI and its run is listed with a link to its job", async ({ page, request }) => {
  test.slow();
  const admin = await apiToken(request, ACCOUNTS.acmeAdmin);
  const tokenRes = await request.post(`${API}/enrollment-tokens`, {
    headers: { Authorization: `Bearer ${admin}` },
    data: { name: `e2e schedule ${Date.now()}` },
  });
  const { token } = await tokenRes.json();
  const enrolled = await (await enroll(request, token, `e2e-sched-${Date.now()}`)).json();

  const name = `e2e-every-5s-${Date.now() % 100000}`;
  await signIn(page, ACCOUNTS.acmeAdmin);
  await page.goto("/schedules");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Cron (UTC)").fill("*/5 * * * * *");
  await page.getByLabel("Machine ids").fill(String(enrolled.machine_id));
  await page.getByRole("button", { name: "Create schedule" }).click();
  const row = page.getByTestId("schedule-row").filter({ hasText: name });
  await expect(row).toContainText("*/5 * * * * *");
  await expect(row).toContainText(`machines ${enrolled.machine_id}`);

  // The next tick creates a job aimed at the machine; the list refreshes by itself.
  const run = row
    .getByTestId("schedule-run")
    .filter({ has: page.getByRole("link") })
    .first();
  await expect(run).toBeVisible({ timeout: 30_000 });
  await screenshot(page, "schedules");
  await row.getByRole("button", { name: `Pause ${name}` }).click();
  await expect(row).toContainText("Paused");
  const jobName = (await run.getByRole("link").textContent())!;
  expect(jobName.startsWith(name)).toBe(true);
  await run.getByRole("link").click();
  await expect(page.getByRole("heading", { level: 1, name: jobName })).toBeVisible();
  await expect(page.getByText(`schedule:${name}`).first()).toBeVisible();

  await page.goto("/schedules");
  page.once("dialog", (d) => d.accept());
  await page.getByRole("button", { name: `Delete ${name}` }).click();
  await expect(page.getByTestId("schedule-row").filter({ hasText: name })).toHaveCount(0);
});
