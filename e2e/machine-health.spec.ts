import { expect, test } from "@playwright/test";
import { ACCOUNTS, API, apiGet, apiToken, screenshot, signIn } from "./helpers";

// Machine health in the browser: the demo's repeat offender (gpu-r12-n005) is suspect — its
// last two bad runs are the evidence. Its lost capacity is priced on the Performance page, a
// customer admin quarantines it from the fleet page, and it joins the drain list.
const HOST = "gpu-r12-n005";

test("a suspect machine is priced on the Performance page and quarantined from the fleet page", async ({
  page,
  request,
}) => {
  const suspect = await apiGet(request, ACCOUNTS.acmeAdmin, "/machines", { health_state: "suspect" });
  const machine = suspect.results.find((m: any) => m.hostname === HOST);
  expect(machine, "the demo's repeat offender is suspect").toBeTruthy();

  // A price per GPU-hour for its model, typed into the Performance page's form, turns its
  // shortfall into a cost per day.
  const token = await apiToken(request, ACCOUNTS.acmeAdmin);
  await signIn(page, ACCOUNTS.acmeAdmin);
  await page.goto("/performance");
  const price = page.getByLabel(`Price per GPU-hour of ${machine.gpu_model}`);
  await price.fill("3");
  await page.getByRole("button", { name: "Save prices" }).click();
  await expect(page.getByText("Prices saved")).toBeVisible();
  const prices = await apiGet(request, ACCOUNTS.acmeAdmin, "/gpu-prices");
  expect(prices.prices).toContainEqual(
    expect.objectContaining({ gpu_model: machine.gpu_model, price_per_gpu_hour: 3 }),
  );
  const detail = await apiGet(request, ACCOUNTS.acmeAdmin, `/machines/${machine.id}`);
  const perDay = detail.health.capacity_lost_per_day as number;
  expect(perDay).toBeGreaterThan(0);
  const row = page.getByTestId("suspect-row").filter({ hasText: HOST });
  await expect(row.getByTestId("capacity-lost")).toHaveText(`${perDay.toFixed(2)} / day`);
  await page.reload();
  await expect(price).toHaveValue("3");

  await page.goto("/fleet");
  await page.getByLabel("Filter by health").selectOption("suspect");
  const fleetRow = page.getByTestId("machine-row").filter({ hasText: HOST });
  await expect(fleetRow.getByTestId("machine-health")).toHaveText("Suspect");
  await fleetRow.getByRole("button", { name: `Quarantine ${HOST}` }).click();
  const dialog = page.getByRole("dialog", { name: `Quarantine ${HOST}?` });
  await expect(dialog.getByRole("button", { name: "Quarantine" })).toBeDisabled();
  await dialog.getByLabel(/Note/).fill("Tensor throughput at 78 % twice; RMA 5521");
  await dialog.getByRole("button", { name: "Quarantine" }).click();
  await expect(dialog).toBeHidden();
  await page.getByLabel("Filter by health").selectOption("quarantined");
  await expect(fleetRow.getByTestId("machine-health")).toHaveText("Quarantined");
  await screenshot(page, "fleet-quarantined");

  // The machine page keeps who did it and why; the drain list prints it for Slurm.
  await fleetRow.getByRole("link", { name: `History of machine ${HOST}` }).click();
  const history = page.getByTestId("health-history");
  await expect(history).toContainText("Quarantined (suspect → quarantined)");
  await expect(history).toContainText("Tensor throughput at 78 % twice; RMA 5521");
  await expect(history).toContainText(/Suspect \(healthy → suspect\)/);
  const drain = await request.get(`${API}/machines/drain-list?format=slurm`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(await drain.text()).toContain(
    `scontrol update nodename=${HOST} state=drain reason='Tensor throughput at 78 % twice; RMA 5521'`,
  );
});

test("engineers read the GPU prices but cannot change them", async ({ page }) => {
  await signIn(page, ACCOUNTS.acmeEngineer);
  await page.goto("/performance");
  const inputs = page.getByRole("region", { name: "Price per GPU-hour" }).getByRole("spinbutton");
  await expect(inputs.first()).toBeVisible();
  for (const input of await inputs.all()) await expect(input).toBeDisabled();
  await expect(page.getByRole("button", { name: "Save prices" })).toHaveCount(0);
});
