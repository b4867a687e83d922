// Webhook administration over the API (lib/webhooks/service.ts): who may manage which
// customer's webhooks, URL validation, the secret shown once and stored encrypted, and the
// job.* events written to the outbox when jobs end.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { useFreshDatabase } from "./helpers/db";
import { api, V1 } from "./helpers/api";
import { signInRoleMatrix, type RoleMatrix } from "./helpers/users";
import { runH200Job } from "./helpers/h200-node";
import { getDb } from "../lib/db/client";
import { decryptSecret } from "../lib/webhooks/secrets";

let teardown: () => Promise<void>;
let m: RoleMatrix;
before(async () => {
  ({ teardown } = await useFreshDatabase());
  m = await signInRoleMatrix({ a: "Hooks A", b: "Hooks B" });
});
after(() => teardown());

const good = { url: "https://hooks.example.com/benchboard", events: ["job.completed", "node.suspect"] };

test("a customer admin creates a webhook; the secret is answered once and stored encrypted", async () => {
  const res = await api.post(`${V1}/webhooks`, { token: m.aAdmin.token, body: good });
  assert.equal(res.status, 201, res.text);
  assert.match(res.body.secret, /^whsec_[0-9a-f]{48}$/);
  assert.deepEqual(res.body.events, ["job.completed", "node.suspect"]);
  assert.equal(res.body.format, "json");

  const list = await api.get(`${V1}/webhooks`, { token: m.aAdmin.token });
  assert.equal(list.status, 200, list.text);
  const listed = list.body.results.find((w: { id: number }) => w.id === res.body.id);
  assert.ok(listed);
  assert.equal(listed.secret, undefined, "the list never shows the secret");
  assert.ok(!list.text.includes(res.body.secret));

  const row = await (await getDb()).webhook.findUniqueOrThrow({ where: { id: res.body.id } });
  assert.ok(!row.secretEncrypted.includes(res.body.secret), "not stored in plain text");
  assert.equal(decryptSecret(row.secretEncrypted), res.body.secret);

  const own = await api.post(`${V1}/webhooks`, {
    token: m.aAdmin.token,
    body: { ...good, secret: "my-own-secret-of-24-chars", format: "slack" },
  });
  assert.equal(own.status, 201, own.text);
  assert.equal(own.body.secret, "my-own-secret-of-24-chars");
  assert.equal(own.body.format, "slack");
});

test("bad URLs, events and secrets are clear 400s", async () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ ...good, url: "ftp://hooks.example.com/x" }, /http or https, not ftp/],
    [{ ...good, url: "javascript:alert(1)" }, /http or https/],
    [{ ...good, url: "https://user:pass@hooks.example.com/x" }, /must not contain a user name or password/],
    [{ ...good, url: "not a url" }, /absolute http/],
    [{ ...good, url: "" }, /must not be empty/],
    [{ ...good, url: 42 }, /url must be a string/],
    [{ ...good, events: [] }, /at least one event type/],
    [{ ...good, events: ["job.exploded"] }, /each event must be one of/],
    [{ ...good, secret: "short" }, /at least 16 characters/],
    [{ ...good, format: "xml" }, /format must be json or slack/],
    [{ ...good, surprise: 1 }, /surprise/],
  ];
  for (const [body, message] of cases) {
    const res = await api.post(`${V1}/webhooks`, { token: m.aAdmin.token, body });
    assert.equal(res.status, 400, `${JSON.stringify(body)}: ${res.text}`);
    assert.equal(res.body.error.code, "PARAMETER_INCORRECT_VALUE");
    assert.match(JSON.stringify(res.body.error), message);
  }
  const id = await api.get(`${V1}/webhooks/abc/deliveries`, { token: m.aAdmin.token });
  assert.equal(id.status, 400, id.text);
});

test("customer admins manage their own customer's webhooks, root admins any; others none", async () => {
  const a = await api.post(`${V1}/webhooks`, { token: m.aAdmin.token, body: good });
  assert.equal(a.status, 201, a.text);
  for (const who of [m.a, m.staff]) {
    assert.equal((await api.get(`${V1}/webhooks`, { token: who.token })).status, 403);
    assert.equal((await api.post(`${V1}/webhooks`, { token: who.token, body: good })).status, 403);
    assert.equal((await api.delete(`${V1}/webhooks/${a.body.id}`, { token: who.token })).status, 403);
  }
  // Another customer's admin: the webhook does not exist for them.
  const bList = await api.get(`${V1}/webhooks`, { token: m.bAdmin.token });
  assert.ok(!bList.body.results.some((w: { id: number }) => w.id === a.body.id));
  for (const path of [`/webhooks/${a.body.id}/deliveries`]) {
    assert.equal((await api.get(`${V1}${path}`, { token: m.bAdmin.token })).status, 404);
  }
  assert.equal((await api.post(`${V1}/webhooks/${a.body.id}/test`, { token: m.bAdmin.token })).status, 404);
  assert.equal((await api.delete(`${V1}/webhooks/${a.body.id}`, { token: m.bAdmin.token })).status, 404);
  const aCustomer = a.body.customer_id;
  const cross = await api.post(`${V1}/webhooks`, { token: m.bAdmin.token, body: { ...good, customer_id: aCustomer } });
  assert.equal(cross.status, 403, cross.text);

  // Root: sees every customer's, creates for any customer, deletes any.
  const rootList = await api.get(`${V1}/webhooks`, { token: m.root.token });
  assert.ok(rootList.body.results.some((w: { id: number }) => w.id === a.body.id));
  const forA = await api.post(`${V1}/webhooks`, { token: m.root.token, body: { ...good, customer_id: aCustomer } });
  assert.equal(forA.status, 201, forA.text);
  assert.equal(forA.body.customer_id, aCustomer);
  const missing = await api.post(`${V1}/webhooks`, { token: m.root.token, body: { ...good, customer_id: 999999 } });
  assert.equal(missing.status, 404, missing.text);
  const del = await api.delete(`${V1}/webhooks/${a.body.id}`, { token: m.root.token });
  assert.equal(del.status, 200, del.text);
  assert.equal((await api.get(`${V1}/webhooks/${a.body.id}/deliveries`, { token: m.aAdmin.token })).status, 404);
  const del2 = await api.delete(`${V1}/webhooks/${forA.body.id}`, { token: m.aAdmin.token });
  assert.equal(del2.status, 200, del2.text);
});

test("a job's end writes job.completed or job.failed, and an underperforming roll-up job.underperforming, once", async () => {
  const db = await getDb();
  const { customerId } = await db.user.findUniqueOrThrow({ where: { email: m.a.email } });
  const events = async (jobId: string) =>
    (await db.event.findMany({ where: { customerId }, orderBy: { id: "asc" } }))
      .filter((e) => (e.payload as { job_id?: string }).job_id === jobId)
      .map((e) => e.type);

  const ok = await runH200Job(m.a.token, { machineUuid: "hooks-ok-1", name: "hooks-ok" });
  assert.deepEqual(await events(ok.jobId), ["job.completed"]);
  const row = (await db.event.findFirstOrThrow({ where: { type: "job.completed", customerId } })).payload as Record<
    string,
    unknown
  >;
  assert.equal(row.job_id, ok.jobId);
  assert.equal(row.name, "hooks-ok");
  assert.equal(row.state, "completed");
  assert.equal(row.node_count, 1);
  assert.ok(row.ended_at);

  const slow = await runH200Job(m.a.token, { machineUuid: "hooks-slow-1", name: "hooks-slow", scale: 0.5 });
  assert.deepEqual(await events(slow.jobId), ["job.completed", "job.underperforming"]);
  const under = (await db.event.findMany({ where: { type: "job.underperforming", customerId } }))[0].payload as {
    nodes: { machine_uuid: string; underperforming_metrics: string[] }[];
  };
  assert.equal(under.nodes[0].machine_uuid, "hooks-slow-1");
  assert.ok(under.nodes[0].underperforming_metrics.length > 0);

  const created = await api.post(`${V1}/jobs`, {
    token: m.a.token,
    body: { benchmarks: ["quick_mark"], name: "hooks-x" },
  });
  const cancel = await api.post(`${V1}/jobs/${created.body.id}/cancel`, { token: m.a.token });
  assert.equal(cancel.status, 200, cancel.text);
  assert.deepEqual(await events(created.body.id), ["job.failed"]);
  const failed = (await db.event.findFirstOrThrow({ where: { type: "job.failed", customerId } })).payload as Record<
    string,
    unknown
  >;
  assert.equal(failed.state, "aborted");
  assert.match(String(failed.failed_message), /Cancelled by/);
  // Cancelling again changes nothing and announces nothing.
  assert.equal((await api.post(`${V1}/jobs/${created.body.id}/cancel`, { token: m.a.token })).status, 409);
  assert.deepEqual(await events(created.body.id), ["job.failed"]);
});
