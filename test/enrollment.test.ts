// Enrolled machines over the API: enrollment tokens (shown once, hashed, revocable, last use),
// enrolling with them, the machine's own credential, removing a machine, labels, and who may
// do each (manage_fleet: customer admins for their customer, root admins for any).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { useFreshDatabase } from "./helpers/db";
import { api, V1 } from "./helpers/api";
import { signedInUser, type SignedInUser } from "./helpers/users";
import { getDb } from "../lib/db/client";
import { hashSecret } from "../lib/enrollment/secrets";

let teardown: () => Promise<void>;
let admin: SignedInUser;
let user: SignedInUser;
let staff: SignedInUser;
let root: SignedInUser;
let otherAdmin: SignedInUser;

before(async () => {
  ({ teardown } = await useFreshDatabase());
  admin = await signedInUser("customer_admin", "Enroll A");
  user = await signedInUser("user", "Enroll A");
  staff = await signedInUser("staff", "Enroll Ops");
  root = await signedInUser("root_admin", "Enroll Ops");
  otherAdmin = await signedInUser("customer_admin", "Enroll B");
});
after(() => teardown());

const node = (uuid: string, extra: Record<string, unknown> = {}) => ({
  machine_uuid: uuid,
  hostname: `${uuid}.example`,
  gpu_model: "NVIDIA H200",
  gpu_count: 8,
  gpu_memory_gb: 141,
  inventory: { cpu: "x86", cpu_cores: 64 },
  agent_version: "test",
  ...extra,
});

async function newToken(by: SignedInUser, body: Record<string, unknown> = {}) {
  const res = await api.post(`${V1}/enrollment-tokens`, { token: by.token, body: { name: "rack 12", ...body } });
  assert.equal(res.status, 201, res.text);
  return res.body as { id: number; token: string; token_prefix: string; customer_id: number };
}

const enroll = (token: string, uuid: string) => api.post(`${V1}/agents/enroll`, { token, body: node(uuid) });

describe("enrollment tokens", () => {
  test("the secret is answered once and stored only as a hash; the list shows its prefix and last use", async () => {
    const created = await newToken(admin);
    assert.match(created.token, /^bbe_[\w-]{40,}$/);
    assert.ok(created.token.startsWith(created.token_prefix));
    const row = await (await getDb()).enrollmentToken.findUniqueOrThrow({ where: { id: created.id } });
    assert.equal(row.tokenHash, hashSecret(created.token));
    assert.ok(!JSON.stringify(row).includes(created.token), "the secret itself is not stored");

    const list = await api.get(`${V1}/enrollment-tokens`, { token: admin.token });
    assert.equal(list.status, 200, list.text);
    const listed = list.body.results.find((t: { id: number }) => t.id === created.id);
    assert.equal(listed.state, "active");
    assert.equal(listed.last_used_at, null);
    assert.ok(!list.text.includes(created.token), "never listed again");

    assert.equal((await enroll(created.token, "node-a1")).status, 201);
    const after = (await api.get(`${V1}/enrollment-tokens`, { token: admin.token })).body.results.find(
      (t: { id: number }) => t.id === created.id,
    );
    assert.ok(after.last_used_at, "last use is shown");
    assert.equal(after.machine_count, 1);
  });

  test("plain users and staff may not manage tokens; another customer's admin does not see them", async () => {
    const mine = await newToken(admin);
    for (const who of [user, staff]) {
      const res = await api.get(`${V1}/enrollment-tokens`, { token: who.token });
      assert.equal(res.status, 403, res.text);
      assert.equal(res.body.error.code, "PERMISSION_DENIED");
      assert.equal((await api.post(`${V1}/enrollment-tokens`, { token: who.token, body: { name: "x" } })).status, 403);
    }
    const theirs = await api.get(`${V1}/enrollment-tokens`, { token: otherAdmin.token });
    assert.ok(!theirs.body.results.some((t: { id: number }) => t.id === mine.id));
    const revoke = await api.delete(`${V1}/enrollment-tokens/${mine.id}`, { token: otherAdmin.token });
    assert.equal(revoke.status, 404, revoke.text);
    const foreign = await api.post(`${V1}/enrollment-tokens`, {
      token: otherAdmin.token,
      body: { name: "x", customer_id: mine.customer_id },
    });
    assert.equal(foreign.status, 403, foreign.text);
  });

  test("a root admin creates a token for any customer, and sees every customer's", async () => {
    const created = await newToken(root, { customer_id: (await newToken(admin)).customer_id });
    const res = await enroll(created.token, "node-root-made");
    assert.equal(res.status, 201, res.text);
    const m = await (await getDb()).machine.findUniqueOrThrow({ where: { id: res.body.machine_id } });
    assert.equal(m.customerId, created.customer_id);
    const list = await api.get(`${V1}/enrollment-tokens`, { token: root.token });
    assert.ok(list.body.results.some((t: { id: number }) => t.id === created.id));
  });

  test("bad input is a clear 400", async () => {
    const res = await api.post(`${V1}/enrollment-tokens`, { token: admin.token, body: { name: "" } });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, "PARAMETER_INCORRECT_VALUE");
    assert.equal((await api.delete(`${V1}/enrollment-tokens/abc`, { token: admin.token })).status, 400);
  });
});

describe("enrolling and revoking", () => {
  test("a revoked token enrolls nothing (403); machines it enrolled keep their own credential", async () => {
    const t = await newToken(admin);
    const first = await enroll(t.token, "node-r1");
    assert.equal(first.status, 201, first.text);
    const credential = first.body.machine_credential as string;
    assert.match(credential, /^bbm_/);

    const revoked = await api.delete(`${V1}/enrollment-tokens/${t.id}`, { token: admin.token });
    assert.equal(revoked.status, 200, revoked.text);
    assert.equal(revoked.body.state, "revoked");

    const refused = await enroll(t.token, "node-r2");
    assert.equal(refused.status, 403, refused.text);
    assert.equal(refused.body.error.code, "PERMISSION_DENIED");
    assert.ok(refused.body.error.request_id);
    const unknown = await enroll("bbe_not-a-token", "node-r3");
    assert.equal(unknown.status, 401);
    assert.equal(unknown.body.error.code, "CLIENT_TOKEN_INVALID");

    const work = await api.get(`${V1}/agents/work?wait=0`, { token: credential });
    assert.equal(work.status, 200, "the enrolled machine stays connected");
    assert.equal(work.body.job, null);
  });

  test("removing a machine's enrollment disconnects it at once; its status goes away", async () => {
    const t = await newToken(admin);
    const res = await enroll(t.token, "node-gone");
    const credential = res.body.machine_credential as string;
    const listed = await api.get(`${V1}/machines/enrolled`, { token: admin.token });
    const m = listed.body.results.find((x: { id: number }) => x.id === res.body.machine_id);
    assert.equal(m.agent.status, "idle");
    assert.equal(m.hostname, "node-gone.example");

    assert.equal((await api.delete(`${V1}/machines/${m.id}/enrollment`, { token: user.token })).status, 403);
    assert.equal((await api.delete(`${V1}/machines/${m.id}/enrollment`, { token: otherAdmin.token })).status, 404);
    const removed = await api.delete(`${V1}/machines/${m.id}/enrollment`, { token: admin.token });
    assert.equal(removed.status, 200, removed.text);
    assert.equal(removed.body.agent, null);

    const work = await api.get(`${V1}/agents/work?wait=0`, { token: credential });
    assert.equal(work.status, 401);
    assert.equal(work.body.error.code, "CLIENT_TOKEN_INVALID");
    const hb = await api.post(`${V1}/agents/heartbeat`, { token: credential, body: { state: "idle" } });
    assert.equal(hb.status, 401);
    const after = await api.get(`${V1}/machines/enrolled`, { token: admin.token });
    assert.ok(!after.body.results.some((x: { id: number }) => x.id === m.id));
  });

  test("enrolling again issues a new credential and retires the old one", async () => {
    const t = await newToken(admin);
    const a = await enroll(t.token, "node-twice");
    const b = await enroll(t.token, "node-twice");
    assert.equal(a.body.machine_id, b.body.machine_id);
    assert.equal((await api.get(`${V1}/agents/work?wait=0`, { token: a.body.machine_credential })).status, 401);
    assert.equal((await api.get(`${V1}/agents/work?wait=0`, { token: b.body.machine_credential })).status, 200);
  });

  test("status: busy while running, offline once silent past AGENT_OFFLINE_AFTER_SECONDS", async () => {
    const t = await newToken(admin);
    const { body } = await enroll(t.token, "node-status");
    const hb = await api.post(`${V1}/agents/heartbeat`, {
      token: body.machine_credential,
      body: { state: "busy" },
    });
    assert.equal(hb.status, 200, hb.text);
    assert.equal(hb.body.status, "busy");
    await (
      await getDb()
    ).machine.update({ where: { id: body.machine_id }, data: { agentSeenAt: new Date(Date.now() - 3600_000) } });
    const listed = await api.get(`${V1}/machines/enrolled`, { token: admin.token });
    assert.equal(listed.body.results.find((x: { id: number }) => x.id === body.machine_id).agent.status, "offline");
    const bad = await api.post(`${V1}/agents/heartbeat`, { token: body.machine_credential, body: { state: "asleep" } });
    assert.equal(bad.status, 400);
  });

  test("admins set labels; users may not", async () => {
    const t = await newToken(admin);
    const { body } = await enroll(t.token, "node-labels");
    const set = await api.put(`${V1}/machines/${body.machine_id}/labels`, {
      token: admin.token,
      body: { labels: ["rack-12", "ib", "rack-12"] },
    });
    assert.equal(set.status, 200, set.text);
    assert.deepEqual(set.body.labels, ["rack-12", "ib"]);
    const denied = await api.put(`${V1}/machines/${body.machine_id}/labels`, {
      token: user.token,
      body: { labels: ["x"] },
    });
    assert.equal(denied.status, 403);
    const bad = await api.put(`${V1}/machines/${body.machine_id}/labels`, {
      token: admin.token,
      body: { labels: ["<b>"] },
    });
    assert.equal(bad.status, 400);
  });
});
