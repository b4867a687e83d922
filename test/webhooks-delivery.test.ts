// Webhook delivery end to end: events from the outbox reach a receiver on 127.0.0.1 once,
// signed; failures are retried with backoff and every attempt is recorded; the Slack format;
// test deliveries and redelivery through the API. Workers run here as in an app server.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
process.env.WEBHOOK_DISPATCH_INTERVAL_SECONDS = "0.5";
process.env.WEBHOOK_RETRY_DELAY_SECONDS = "1";
process.env.WEBHOOK_TIMEOUT_SECONDS = "3";
import { useFreshDatabase } from "./helpers/db";
import { api, V1 } from "./helpers/api";
import { signedInUser, type SignedInUser } from "./helpers/users";
import { runH200Job } from "./helpers/h200-node";
import { startReceiver, type Received } from "./helpers/webhook-receiver";
import { waitFor } from "./helpers/wait";
import { getDb } from "../lib/db/client";
import { emitEvent } from "../lib/events/outbox";
import { verifySignature } from "../lib/webhooks/signing";
import { deliveryBodySchema } from "../lib/webhooks/schemas";
import { startWebhookWorkers } from "../lib/webhooks/workers";

let teardown: () => Promise<void>;
let admin: SignedInUser;
let user: SignedInUser;
let customerId: number;
const receivers: { close(): Promise<void> }[] = [];
before(async () => {
  ({ teardown } = await useFreshDatabase());
  admin = await signedInUser("customer_admin", "Deliveries");
  user = await signedInUser("user", "Deliveries");
  customerId = (await (await getDb()).user.findUniqueOrThrow({ where: { email: admin.email } })).customerId;
  await startWebhookWorkers();
});
after(async () => {
  for (const r of receivers) await r.close();
  await teardown();
});

async function receiver(answer?: Parameters<typeof startReceiver>[0]) {
  const r = await startReceiver(answer);
  receivers.push(r);
  return r;
}

async function webhook(body: Record<string, unknown>) {
  const res = await api.post(`${V1}/webhooks`, { token: admin.token, body });
  assert.equal(res.status, 201, res.text);
  return res.body as { id: number; secret: string };
}

async function deliveries(id: number) {
  const res = await api.get(`${V1}/webhooks/${id}/deliveries`, { token: admin.token });
  assert.equal(res.status, 200, res.text);
  return res.body.results as {
    id: string;
    state: string;
    attempts: number;
    last_status_code: number | null;
    event_type: string;
    attempt_log: { status_code: number | null; error: string | null; latency_ms: number }[];
  }[];
}

function assertSigned(r: Received, secret: string) {
  const header = r.headers["x-benchboard-signature"] as string;
  assert.match(header, /^t=\d+,v1=[0-9a-f]{64}$/);
  assert.ok(verifySignature(secret, header, r.body), "the signature verifies with the webhook's secret");
  assert.ok(!verifySignature(secret + "x", header, r.body), "and not with another secret");
  assert.ok(!verifySignature(secret, header, r.body + " "), "and not over another body");
}

const settle = () => new Promise((r) => setTimeout(r, 2500));

test("a real finished job reaches the receiver exactly once as a signed job.completed", async () => {
  const rx = await receiver();
  const hook = await webhook({ url: rx.url, events: ["job.completed", "node.suspect"] });
  const job = await runH200Job(user.token, { machineUuid: "deliv-1", name: "delivered-job" });
  await waitFor(() => rx.of("job.completed").length > 0, 20_000, "job.completed");
  await settle();
  assert.equal(rx.received.length, 1, "exactly one request");
  const [r] = rx.received;
  assertSigned(r, hook.secret);
  const body = deliveryBodySchema.parse(JSON.parse(r.body));
  assert.equal(body.type, "job.completed");
  assert.equal(body.customer_id, customerId);
  assert.equal(body.data.job_id, job.jobId);
  assert.equal(body.data.state, "completed");
  assert.equal(r.headers["content-type"], "application/json");
  const [d] = await deliveries(hook.id);
  assert.equal(r.headers["x-benchboard-delivery"], d.id);
  assert.equal(d.state, "succeeded");
  assert.equal(d.attempts, 1);
  assert.equal(d.last_status_code, 200);
  assert.equal(d.attempt_log.length, 1);
  assert.ok(d.attempt_log[0].latency_ms >= 0);

  // node.* events (emitted by machine health) flow the same way; a type it did not subscribe to does not.
  const db = await getDb();
  await db.$transaction(async (tx) => {
    await emitEvent(tx, customerId, "node.suspect", { machine_uuid: "deliv-1", hostname: "gpu-7" });
    await emitEvent(tx, customerId, "node.quarantined", { machine_uuid: "deliv-1" });
  });
  await waitFor(() => rx.of("node.suspect").length > 0, 20_000, "node.suspect");
  await settle();
  assert.equal(rx.received.length, 2);
  assertSigned(rx.received[1], hook.secret);
  assert.deepEqual(JSON.parse(rx.received[1].body).data, { machine_uuid: "deliv-1", hostname: "gpu-7" });
  assert.equal(rx.of("node.quarantined").length, 0);
});

test("a receiver that fails three times gets the event on the fourth attempt; every attempt is recorded", async () => {
  const rx = await receiver((_r, n) => (n <= 3 ? 503 : 200));
  const hook = await webhook({ url: rx.url, events: ["node.regressed"] });
  await (await getDb()).$transaction((tx) => emitEvent(tx, customerId, "node.regressed", { machine_uuid: "m-9" }));
  await waitFor(() => rx.received.length >= 4, 40_000, "four attempts");
  await settle();
  assert.equal(rx.received.length, 4, "no attempt after the success");
  const ids = new Set(rx.received.map((r) => r.headers["x-benchboard-delivery"]));
  assert.equal(ids.size, 1, "the same delivery each time");
  const bodies = new Set(rx.received.map((r) => JSON.parse(r.body).id));
  assert.equal(bodies.size, 1, "the same event each time");
  // Exponential backoff: each wait at least as long as the one before's base delay.
  const gaps = rx.received.slice(1).map((r, i) => r.at - rx.received[i].at);
  assert.ok(gaps[0] >= 900 && gaps[1] >= 1900 && gaps[2] >= 3900, `backoff gaps ${gaps.join(", ")} ms`);
  const [d] = await deliveries(hook.id);
  assert.equal(d.state, "succeeded");
  assert.equal(d.attempts, 4);
  assert.deepEqual(
    d.attempt_log.map((a) => a.status_code),
    [503, 503, 503, 200],
  );
  assert.match(d.attempt_log[0].error ?? "", /HTTP 503/);
  assert.equal(d.attempt_log[3].error, null);
});

test("the Slack format sends an incoming-webhook message summarising the event", async () => {
  const rx = await receiver();
  const hook = await webhook({ url: rx.url, events: ["job.failed"], format: "slack" });
  const created = await api.post(`${V1}/jobs`, {
    token: user.token,
    body: { benchmarks: ["quick_mark"], name: "<slack> job" },
  });
  assert.equal((await api.post(`${V1}/jobs/${created.body.id}/cancel`, { token: user.token })).status, 200);
  await waitFor(() => rx.received.length > 0, 20_000, "slack message");
  const msg = JSON.parse(rx.received[0].body);
  assertSigned(rx.received[0], hook.secret);
  assert.match(msg.text, /Job \*&lt;slack&gt; job\* was aborted: Cancelled by/);
  assert.equal(msg.blocks[0].type, "section");
  assert.equal(msg.blocks[0].text.text, msg.text);
  assert.match(msg.blocks[1].elements[0].text, /job\.failed/);
});

test("a test delivery and a redelivery each add an attempt to the log", async () => {
  const rx = await receiver();
  const hook = await webhook({ url: rx.url, events: ["job.completed"] });
  const sent = await api.post(`${V1}/webhooks/${hook.id}/test`, { token: admin.token });
  assert.equal(sent.status, 202, sent.text);
  assert.equal(sent.body.event_type, "webhook.test");
  await waitFor(async () => (await deliveries(hook.id))[0]?.state === "succeeded", 20_000, "test delivered");
  assert.equal(rx.received.length, 1);
  assert.equal(rx.received[0].headers["x-benchboard-event"], "webhook.test");
  assertSigned(rx.received[0], hook.secret);

  const again = await api.post(`${V1}/webhooks/${hook.id}/deliveries/${sent.body.id}/redeliver`, {
    token: admin.token,
  });
  assert.equal(again.status, 202, again.text);
  await waitFor(async () => (await deliveries(hook.id))[0]?.attempts === 2, 20_000, "redelivered");
  await waitFor(async () => (await deliveries(hook.id))[0]?.state === "succeeded", 20_000, "redelivery done");
  assert.equal(rx.received.length, 2);
  assert.equal(rx.received[1].headers["x-benchboard-delivery"], sent.body.id);
  assert.equal(JSON.parse(rx.received[1].body).id, JSON.parse(rx.received[0].body).id, "the same event");

  const other = await signedInUser("customer_admin", "Elsewhere");
  const foreign = await api.post(`${V1}/webhooks/${hook.id}/deliveries/${sent.body.id}/redeliver`, {
    token: other.token,
  });
  assert.equal(foreign.status, 404, foreign.text);
  const none = await api.post(`${V1}/webhooks/${hook.id}/deliveries/999999/redeliver`, { token: admin.token });
  assert.equal(none.status, 404, none.text);
});

test("an unreachable receiver: the error is recorded and the delivery keeps being retried", async () => {
  const rx = await receiver();
  const url = rx.url;
  await rx.close();
  const hook = await webhook({ url, events: ["node.suspect"] });
  await (await getDb()).$transaction((tx) => emitEvent(tx, customerId, "node.suspect", { machine_uuid: "gone" }));
  await waitFor(async () => (await deliveries(hook.id))[0]?.attempts >= 2, 20_000, "two attempts");
  const [d] = await deliveries(hook.id);
  assert.equal(d.last_status_code, null);
  assert.match(d.attempt_log[0].error ?? "", /ECONNREFUSED|fetch failed/);
  assert.ok(["pending", "sending"].includes(d.state), d.state);
  // Deleting the webhook stops it: nothing is left to send.
  assert.equal((await api.delete(`${V1}/webhooks/${hook.id}`, { token: admin.token })).status, 200);
});
