// An app server stopping mid-delivery (stopBoss/closeDb while the receiver holds the request)
// loses nothing and does not deliver twice; events emitted while no worker runs wait in the
// outbox. Runs on a PGlite folder (the in-memory one would not survive the restart) or PostgreSQL.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
process.env.WEBHOOK_DISPATCH_INTERVAL_SECONDS = "0.5";
process.env.WEBHOOK_RETRY_DELAY_SECONDS = "1";
process.env.WEBHOOK_TIMEOUT_SECONDS = "3";
import { useFreshDatabase } from "./helpers/db";
import { api, V1 } from "./helpers/api";
import { signedInUser, type SignedInUser } from "./helpers/users";
import { startReceiver } from "./helpers/webhook-receiver";
import { waitFor } from "./helpers/wait";
import { closeDb, getDb } from "../lib/db/client";
import { emitEvent } from "../lib/events/outbox";
import { startWebhookWorkers } from "../lib/webhooks/workers";
import { verifySignature } from "../lib/webhooks/signing";

let teardown: () => Promise<void>;
let admin: SignedInUser;
let customerId: number;
const receivers: { close(): Promise<void> }[] = [];
before(async () => {
  const fresh = await useFreshDatabase();
  teardown = fresh.teardown;
  if (fresh.kind === "pglite") {
    await closeDb();
    process.env.PGLITE_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "benchboard-hooks-restart-"));
  }
  admin = await signedInUser("customer_admin", "Restarts");
  customerId = (await (await getDb()).user.findUniqueOrThrow({ where: { email: admin.email } })).customerId;
  await startWebhookWorkers();
});
after(async () => {
  for (const r of receivers) await r.close();
  await teardown();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function setup(answer: Parameters<typeof startReceiver>[0], type: "node.suspect" | "node.regressed") {
  const rx = await startReceiver(answer);
  receivers.push(rx);
  const res = await api.post(`${V1}/webhooks`, { token: admin.token, body: { url: rx.url, events: [type] } });
  assert.equal(res.status, 201, res.text);
  return { rx, hook: res.body as { id: number; secret: string } };
}

async function deliveriesOf(id: number) {
  const res = await api.get(`${V1}/webhooks/${id}/deliveries`, { token: admin.token });
  assert.equal(res.status, 200, res.text);
  return res.body.results as { id: string; state: string; attempts: number; attempt_log: { status_code: number }[] }[];
}

/** The app server goes down while `during` runs, then comes back with its workers. */
async function restartWhile(during: () => Promise<void>) {
  const stopping = closeDb();
  await during();
  await stopping;
  await getDb();
  await startWebhookWorkers();
}

test("an answer that arrives while the server stops is kept: nothing is sent again after the restart", async () => {
  let answer!: (status: number) => void;
  const { rx, hook } = await setup(
    (_r, n) => (n === 1 ? new Promise<number>((resolve) => (answer = resolve)) : 200),
    "node.suspect",
  );
  await (await getDb()).$transaction((tx) => emitEvent(tx, customerId, "node.suspect", { machine_uuid: "r-1" }));
  await waitFor(() => rx.received.length === 1, 20_000, "the request");
  await restartWhile(async () => {
    await sleep(300);
    answer(200);
  });
  await sleep(4000);
  assert.equal(rx.received.length, 1, "delivered once");
  assert.ok(
    verifySignature(hook.secret, rx.received[0].headers["x-benchboard-signature"] as string, rx.received[0].body),
  );
  const [d] = await deliveriesOf(hook.id);
  assert.equal(d.state, "succeeded");
  assert.equal(d.attempts, 1);
});

test("a request cut off by the stop is retried after the restart, and delivered once", async () => {
  const { rx, hook } = await setup((_r, n) => (n === 1 ? new Promise<number>(() => {}) : 200), "node.regressed");
  await (await getDb()).$transaction((tx) => emitEvent(tx, customerId, "node.regressed", { machine_uuid: "r-2" }));
  await waitFor(() => rx.received.length === 1, 20_000, "the first request");
  // The receiver never answers it: the attempt times out while the server is stopping.
  await restartWhile(async () => {});
  await waitFor(() => rx.received.length === 2, 30_000, "the retry after the restart");
  await sleep(3000);
  assert.equal(rx.received.length, 2, "one retry, then nothing more");
  assert.equal(rx.received[0].headers["x-benchboard-delivery"], rx.received[1].headers["x-benchboard-delivery"]);
  assert.equal(JSON.parse(rx.received[0].body).id, JSON.parse(rx.received[1].body).id);
  const [d] = await deliveriesOf(hook.id);
  assert.equal(d.state, "succeeded");
  assert.equal(d.attempts, 2);
  assert.deepEqual(
    d.attempt_log.map((a) => a.status_code),
    [null, 200],
  );
});

test("events emitted while no worker runs wait in the outbox and go out once workers start", async () => {
  const { rx, hook } = await setup(() => 200, "node.suspect");
  await closeDb();
  await (await getDb()).$transaction((tx) => emitEvent(tx, customerId, "node.suspect", { machine_uuid: "r-3" }));
  await sleep(1500);
  assert.equal(rx.received.length, 0, "no worker, no delivery");
  await startWebhookWorkers();
  await waitFor(() => rx.received.length === 1, 20_000, "delivery after start");
  await sleep(2000);
  assert.equal(rx.received.length, 1);
  assert.equal((await deliveriesOf(hook.id))[0].state, "succeeded");
});
