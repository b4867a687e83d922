import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { encode } from "next-auth/jwt";
import { useFreshDatabase } from "./helpers/db";
import { api, V1 } from "./helpers/api";
import { signedInUser } from "./helpers/users";
import { getDb } from "../lib/db/client";
import { authSecret } from "../lib/auth/secret";
import { clock } from "../lib/util/clock";
import { env } from "../lib/config/env";

let teardown: () => Promise<void>;
before(async () => ({ teardown } = await useFreshDatabase()));
after(() => teardown());

test("POST /token: OAuth2 password flow returns a bearer token that opens the API", async () => {
  const u = await signedInUser("user", "AuthCo");
  const res = await api.post(`${V1}/token`, {
    form: { username: u.email, password: u.password, grant_type: "password" },
  });
  assert.equal(res.status, 200);
  assert.equal(res.body.token_type, "bearer");
  assert.ok(res.body.expires_in > 0);
  assert.equal((await api.get(`${V1}/jobs`, { token: res.body.access_token })).status, 200);
  // Email is case-insensitive.
  assert.equal(
    (await api.post(`${V1}/token`, { form: { username: u.email.toUpperCase(), password: u.password } })).status,
    200,
  );
});

test("POST /token: wrong or missing credentials → 401 CLIENT_TOKEN_INVALID", async () => {
  const u = await signedInUser("user", "AuthCo");
  for (const form of [
    { username: u.email, password: "wrong" },
    { username: "nobody@x.y", password: u.password },
    { username: u.email },
    {},
  ]) {
    const res = await api.post(`${V1}/token`, { form: form as Record<string, string> });
    assert.equal(res.status, 401);
    assert.equal(res.body.error.code, "CLIENT_TOKEN_INVALID");
  }
  assert.equal(
    (await api.post(`${V1}/token`, { rawBody: "{bad", headers: { "content-type": "application/json" } })).status,
    400,
  );
});

test("deactivated users lose access at once", async () => {
  const u = await signedInUser("user", "AuthCo");
  await (await getDb()).user.update({ where: { id: u.id }, data: { active: false } });
  assert.equal((await api.get(`${V1}/jobs`, { token: u.token })).status, 401);
  assert.equal((await api.post(`${V1}/token`, { form: { username: u.email, password: u.password } })).status, 401);
});

test("a deactivation made elsewhere is refused within CALLER_CACHE_TTL_MS; through the API at once", async () => {
  const ttl = env("CALLER_CACHE_TTL_MS");
  assert.ok(ttl > 0 && ttl <= 60_000, "the bound is a short one");
  const realNow = clock.now;
  const base = Date.now();
  try {
    clock.now = () => new Date(base);
    const u = await signedInUser("user", "AuthCo");
    // The request caches the caller; a deactivation written by another instance (here straight
    // into the database) is not seen by this one until its entry expires…
    assert.equal((await api.get(`${V1}/jobs/tags`, { token: u.token })).status, 200);
    await (await getDb()).user.update({ where: { id: u.id }, data: { active: false } });
    // …and never later than the bound: just past it the token is refused.
    clock.now = () => new Date(base + ttl + 1);
    const refused = await api.get(`${V1}/jobs/tags`, { token: u.token });
    assert.equal(refused.status, 401, refused.text);

    // The same change through PATCH /users applies on this instance without waiting.
    const admin = await signedInUser("customer_admin", "AuthCo");
    const v = await signedInUser("user", "AuthCo");
    assert.equal((await api.get(`${V1}/jobs/tags`, { token: v.token })).status, 200);
    const off = await api.patch(`${V1}/users/${v.id}`, { token: admin.token, body: { active: false } });
    assert.equal(off.status, 200, off.text);
    assert.equal((await api.get(`${V1}/jobs/tags`, { token: v.token })).status, 401);
    // Reactivated: admitted again at once.
    assert.equal((await api.patch(`${V1}/users/${v.id}`, { token: admin.token, body: { active: true } })).status, 200);
    assert.equal((await api.get(`${V1}/jobs/tags`, { token: v.token })).status, 200);
  } finally {
    clock.now = realNow;
  }
});

test("a role change made elsewhere applies within CALLER_CACHE_TTL_MS", async () => {
  const ttl = env("CALLER_CACHE_TTL_MS");
  const realNow = clock.now;
  const base = Date.now();
  try {
    clock.now = () => new Date(base);
    const u = await signedInUser("customer_admin", "RoleCo");
    assert.equal((await api.get(`${V1}/users`, { token: u.token })).status, 200);
    await (await getDb()).user.update({ where: { id: u.id }, data: { role: "user" } });
    clock.now = () => new Date(base + ttl + 1);
    assert.equal((await api.get(`${V1}/users`, { token: u.token })).status, 403);
  } finally {
    clock.now = realNow;
  }
});

test("expired access tokens are refused", async () => {
  const u = await signedInUser("user", "AuthCo");
  const realNow = clock.now;
  try {
    clock.now = () => new Date(Date.now() + 2 * 3600 * 1000);
    assert.equal((await api.get(`${V1}/jobs`, { token: u.token })).status, 401);
  } finally {
    clock.now = realNow;
  }
});

test("a next-auth session cookie is accepted like a bearer token", async () => {
  const u = await signedInUser("customer_admin", "CookieCo");
  const jwt = await encode({ token: { sub: String(u.id), email: u.email }, secret: authSecret() });
  const res = await api.get(`${V1}/jobs/tags`, { headers: { cookie: `next-auth.session-token=${jwt}` } });
  assert.equal(res.status, 200, res.text);
  const forged = await encode({ token: { sub: String(u.id) }, secret: "not-our-secret" });
  assert.equal(
    (await api.get(`${V1}/jobs/tags`, { headers: { cookie: `next-auth.session-token=${forged}` } })).status,
    401,
  );
});

test("a session cookie read before still stops working at its expiry", async () => {
  const u = await signedInUser("user", "SessionExpiryCo");
  const jwt = await encode({ token: { sub: String(u.id) }, secret: authSecret(), maxAge: 60 });
  const read = () => api.get(`${V1}/jobs/stats`, { headers: { cookie: `next-auth.session-token=${jwt}` } });
  assert.equal((await read()).status, 200);
  assert.equal((await read()).status, 200, "the second read, from the decoded session");
  const realNow = clock.now;
  try {
    clock.now = () => new Date(Date.now() + 61_000);
    assert.equal((await read()).status, 401, "past its expiry");
  } finally {
    clock.now = realNow;
  }
  // The same cookie on an https request is another name's lookup (__Secure-): not this session.
  const secure = await api.get(`https://localhost${V1}/jobs/stats`, {
    headers: { cookie: `next-auth.session-token=${jwt}` },
  });
  assert.equal(secure.status, 401);
});

test("every error carries X-Request-Id, echoing a caller-supplied one", async () => {
  const res = await api.get(`${V1}/jobs`, { headers: { "x-request-id": "trace-123" } });
  assert.equal(res.headers.get("x-request-id"), "trace-123");
  assert.equal(res.body.error.request_id, "trace-123");
});
