import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { ACCOUNTS, screenshot, signIn } from "./helpers";
import { verifySignature } from "../lib/webhooks/signing";

/** A receiver on 127.0.0.1 that the app server delivers to; it records what it gets. */
async function receiver() {
  const got: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    got.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
    res.writeHead(200).end("ok");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/e2e-${Date.now()}`, got, close: () => server.close() };
}

test("a customer admin creates a webhook (secret shown once), sends a test, sees it in the log and redelivers", async ({
  page,
}) => {
  const rx = await receiver();
  try {
    await signIn(page, ACCOUNTS.acmeAdmin);
    await page.getByRole("link", { name: "Webhooks" }).first().click();
    await expect(page.getByRole("heading", { level: 1, name: "Webhooks" })).toBeVisible();

    // Client-side validation names the problem before anything is sent.
    await page.getByLabel("Receiver URL").fill("ftp://files.example.com/x");
    await page.getByRole("button", { name: "Create webhook" }).click();
    await expect(page.getByText("url must use http or https, not ftp")).toBeVisible();

    await page.getByLabel("Receiver URL").fill(rx.url);
    await page.getByRole("checkbox", { name: /Job completed/ }).check();
    await page.getByRole("button", { name: "Create webhook" }).click();
    const secretBox = page.getByTestId("webhook-secret-value");
    await expect(secretBox).toHaveText(/^whsec_[0-9a-f]{48}$/);
    const secret = (await secretBox.textContent())!;
    await screenshot(page, "webhooks-created");
    await page.getByRole("button", { name: "Done, I have stored it" }).click();
    await expect(page.getByTestId("webhook-secret")).toHaveCount(0);
    const row = page.locator(`[data-testid="webhook-row"][data-url="${rx.url}"]`);
    await expect(row).toContainText("job.completed");
    // Shown once: a reload lists the webhook without it.
    await page.reload();
    await expect(row).toBeVisible();
    await expect(page.locator("body")).not.toContainText(secret);

    await row.getByRole("button", { name: `Send a test event to ${rx.url}` }).click();
    await expect(page.getByText(`Test event queued for ${rx.url}`)).toBeVisible();
    await row.getByRole("link", { name: `Delivery log of ${rx.url}` }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Delivery log" })).toBeVisible();
    const delivery = page.getByTestId("delivery-row").first();
    await expect(delivery).toContainText("webhook.test");
    await expect(delivery).toContainText("succeeded", { timeout: 20_000 });
    await expect(delivery.getByTestId("delivery-status")).toHaveText("200");
    await expect(delivery.getByTestId("delivery-attempts")).toContainText("1");
    expect(rx.got).toHaveLength(1);
    expect(rx.got[0].headers["x-benchboard-event"]).toBe("webhook.test");
    expect(verifySignature(secret, rx.got[0].headers["x-benchboard-signature"] as string, rx.got[0].body)).toBe(true);
    await screenshot(page, "webhooks-delivery-log");

    await delivery.getByRole("button", { name: /^Redeliver webhook\.test delivery/ }).click();
    await expect(delivery.getByTestId("delivery-attempts")).toContainText("2", { timeout: 20_000 });
    await expect(delivery).toContainText("succeeded", { timeout: 20_000 });
    await expect.poll(() => rx.got.length).toBe(2);
    expect(rx.got[1].headers["x-benchboard-delivery"]).toBe(rx.got[0].headers["x-benchboard-delivery"]);
    await delivery.getByTestId("delivery-attempts").locator("summary").click();
    await expect(delivery.getByRole("listitem")).toHaveCount(2);

    // Delete from the list.
    await page.getByRole("link", { name: "← Webhooks" }).click();
    await page
      .locator(`[data-testid="webhook-row"][data-url="${rx.url}"]`)
      .getByRole("button", { name: `Delete ${rx.url}` })
      .click();
    await page.getByRole("button", { name: "Delete webhook" }).click();
    await expect(page.locator(`[data-testid="webhook-row"][data-url="${rx.url}"]`)).toHaveCount(0);
  } finally {
    rx.close();
  }
});

test("engineers have no webhooks page", async ({ page }) => {
  await signIn(page, ACCOUNTS.acmeEngineer);
  await expect(page.getByRole("link", { name: "Webhooks" })).toHaveCount(0);
  await page.goto("/webhooks");
  await expect(page.getByTestId("forbidden")).toBeVisible();
});
