// Two app servers (this process and a child process, each with its own pg-boss and webhook
// workers) over one PostgreSQL database deliver every event to every subscribed webhook
// exactly once. PostgreSQL only: the embedded database admits a single process.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
process.env.WEBHOOK_DISPATCH_INTERVAL_SECONDS = "0.5";
process.env.WEBHOOK_RETRY_DELAY_SECONDS = "1";
process.env.WEBHOOK_TIMEOUT_SECONDS = "5";
import { useFreshDatabase } from "./helpers/db";
import { api, V1 } from "./helpers/api";
import { signedInUser } from "./helpers/users";
import { startReceiver } from "./helpers/webhook-receiver";
import { waitFor } from "./helpers/wait";
import { getDb } from "../lib/db/client";
import { emitEvent } from "../lib/events/outbox";
import { startWebhookWorkers } from "../lib/webhooks/workers";

let teardown: () => Promise<void>;
let kind: "postgres" | "pglite";
let child: ChildProcess | undefined;
before(async () => {
  ({ teardown, kind } = await useFreshDatabase());
});
after(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child!.once("exit", r));
    child.kill("SIGTERM");
    await exited;
  }
  await teardown();
});

async function startSecondServer(): Promise<ChildProcess> {
  const proc = spawn(path.resolve("node_modules/.bin/tsx"), ["test/helpers/webhook-worker-process.ts"], {
    env: { ...process.env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    proc.once("exit", (code) => reject(new Error(`worker process exited with ${code}`)));
    proc.stdout!.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("ready")) resolve();
    });
  });
  return proc;
}

test("two app servers on PostgreSQL deliver each event to each webhook exactly once", async (t) => {
  if (kind !== "postgres") return t.skip("needs TEST_DATABASE_URL (PostgreSQL): two processes share the database");
  child = await startSecondServer();
  await startWebhookWorkers();
  const admin = await signedInUser("customer_admin", "Two servers");
  const { customerId } = await (await getDb()).user.findUniqueOrThrow({ where: { email: admin.email } });
  // A receiver a little slow to answer, so both servers' workers have deliveries in flight at once.
  const rx = await startReceiver(() => new Promise((r) => setTimeout(() => r(200), 150)));
  const hooks: number[] = [];
  for (let i = 0; i < 3; i++) {
    const res = await api.post(`${V1}/webhooks`, {
      token: admin.token,
      body: { url: rx.url, events: ["node.suspect"] },
    });
    assert.equal(res.status, 201, res.text);
    hooks.push(res.body.id);
  }
  const db = await getDb();
  const EVENTS = 30;
  for (let i = 0; i < EVENTS; i++)
    await db.$transaction((tx) => emitEvent(tx, customerId, "node.suspect", { machine_uuid: `two-${i}` }));
  const expected = EVENTS * hooks.length;
  await waitFor(() => rx.received.length >= expected, 60_000, `${expected} deliveries`);
  await new Promise((r) => setTimeout(r, 4000));
  await rx.close();

  assert.equal(rx.received.length, expected, "no event delivered twice");
  const pairs = new Set(rx.received.map((r) => `${r.headers["x-benchboard-delivery"]}`));
  assert.equal(pairs.size, expected, "every delivery id once");
  const deliveries = await db.webhookDelivery.findMany({ where: { webhookId: { in: hooks } } });
  assert.equal(deliveries.length, expected, "one delivery per (webhook, event)");
  assert.ok(deliveries.every((d) => d.state === "succeeded" && d.attempts === 1));
  assert.equal(
    await db.webhookDeliveryAttempt.count({ where: { deliveryId: { in: deliveries.map((d) => d.id) } } }),
    expected,
  );
  // Each event's three deliveries carry the same event id, each event id three times.
  const perEvent = new Map<string, number>();
  for (const r of rx.received) {
    const id = JSON.parse(r.body).id as string;
    perEvent.set(id, (perEvent.get(id) ?? 0) + 1);
  }
  assert.equal(perEvent.size, EVENTS);
  assert.ok([...perEvent.values()].every((n) => n === hooks.length));
});
