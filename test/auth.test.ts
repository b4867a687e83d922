import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { encode } from "next-auth/jwt";
import { useFreshDatabase } from "./helpers/db";
import { api, V1 } from "./helpers/api";
import { signedInUser } from "./helpers/users";
import { getDb } from "../lib/db/client";
import { authSecret } from "../lib/auth/secret";
import { clock } from "../lib/util/clock";

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

test("every error carries X-Request-Id, echoing a caller-supplied one", async () => {
  const res = await api.get(`${V1}/jobs`, { headers: { "x-request-id": "trace-123" } });
  assert.equal(res.headers.get("x-request-id"), "trace-123");
  assert.equal(res.body.error.request_id, "trace-123");
});
