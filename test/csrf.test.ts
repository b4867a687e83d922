// Cookie-authenticated writes must come from the dashboard's own pages (Origin /
// Sec-Fetch-Site), JSON endpoints take only JSON bodies, and bearer-token clients are not
// affected. The browser half (a page on another port) is e2e/security.spec.ts.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { encode } from "next-auth/jwt";
import { useFreshDatabase } from "./helpers/db";
import { api, V1 } from "./helpers/api";
import { signedInUser } from "./helpers/users";
import { getDb } from "../lib/db/client";
import { authSecret } from "../lib/auth/secret";

let teardown: () => Promise<void>;
let admin: Awaited<ReturnType<typeof signedInUser>>;
let cookie: string;
const OWN = "http://localhost"; // the origin test/helpers/api.ts sends requests to

before(async () => {
  ({ teardown } = await useFreshDatabase());
  admin = await signedInUser("customer_admin", "Csrf Co");
  cookie = `next-auth.session-token=${await encode({ token: { sub: String(admin.id), email: admin.email }, secret: authSecret() })}`;
});
after(() => teardown());

const jobBody = (name: string) => JSON.stringify({ name, benchmarks: ["quick_mark"] });
const jobNamed = async (name: string) => (await getDb()).job.findFirst({ where: { name } });

test("session-cookie writes without our Origin or with a foreign one → 403, nothing created", async () => {
  const attempts: Record<string, string>[] = [
    {}, // no Origin, no Fetch Metadata
    { origin: "http://127.0.0.1:4444" },
    { origin: "http://localhost:4444" }, // another port is another origin
    { origin: "null" }, // sandboxed frame, data: URL
    { "sec-fetch-site": "same-site", origin: "http://localhost:4444" },
    { "sec-fetch-site": "cross-site" },
    { "sec-fetch-site": "same-site", origin: OWN }, // Fetch Metadata wins over a matching Origin
  ];
  for (const [i, headers] of attempts.entries()) {
    const res = await api.post(`${V1}/jobs`, {
      rawBody: jobBody(`csrf-${i}`),
      headers: { cookie, "content-type": "application/json", ...headers },
    });
    assert.equal(res.status, 403, `${JSON.stringify(headers)}: ${res.text}`);
    assert.equal(res.body.error.code, "PERMISSION_DENIED");
    assert.ok(res.body.error.request_id);
    assert.equal(await jobNamed(`csrf-${i}`), null);
  }
  const user = await api.post(`${V1}/users`, {
    rawBody: JSON.stringify({ email: "evil@csrf.test", password: "attacker chosen pw", role: "customer_admin" }),
    headers: { cookie, origin: "http://127.0.0.1:4444" },
  });
  assert.equal(user.status, 403, user.text);
  assert.equal(await (await getDb()).user.findUnique({ where: { email: "evil@csrf.test" } }), null);
});

test("session-cookie writes from our own pages pass; reads need no Origin", async () => {
  const ownPages: Record<string, string>[] = [
    { origin: OWN },
    { "sec-fetch-site": "same-origin", origin: OWN },
    { "sec-fetch-site": "none" },
  ];
  for (const [i, headers] of ownPages.entries()) {
    const res = await api.post(`${V1}/jobs`, { rawBody: jobBody(`own-${i}`), headers: { cookie, ...headers } });
    assert.equal(res.status, 201, res.text);
  }
  assert.equal((await api.get(`${V1}/jobs`, { headers: { cookie } })).status, 200);
  const job = await jobNamed("own-0");
  assert.equal(
    (await api.post(`${V1}/jobs/${job!.id}/cancel`, { headers: { cookie, origin: "http://evil.example" } })).status,
    403,
  );
  assert.equal((await api.post(`${V1}/jobs/${job!.id}/cancel`, { headers: { cookie, origin: OWN } })).status, 200);
});

test("bearer-token clients need no Origin", async () => {
  const res = await api.post(`${V1}/jobs`, {
    token: admin.token,
    body: { name: "bearer", benchmarks: ["quick_mark"] },
  });
  assert.equal(res.status, 201, res.text);
});

test("JSON endpoints refuse other content types with 415 in the error shape", async () => {
  for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""]) {
    const res = await api.post(`${V1}/jobs`, {
      token: admin.token,
      rawBody: jobBody(`typed-${type}`),
      headers: { "content-type": type },
    });
    assert.equal(res.status, 415, `${type}: ${res.text}`);
    assert.equal(res.body.error.code, "UNSUPPORTED_MEDIA_TYPE");
    assert.equal(await jobNamed(`typed-${type}`), null);
  }
  const charset = await api.post(`${V1}/jobs`, {
    token: admin.token,
    rawBody: jobBody("charset"),
    headers: { "content-type": "application/json; charset=utf-8" },
  });
  assert.equal(charset.status, 201, charset.text);
  // The token endpoint keeps its OAuth2 form encoding.
  assert.equal(
    (await api.post(`${V1}/token`, { form: { username: admin.email, password: admin.password } })).status,
    200,
  );
});
