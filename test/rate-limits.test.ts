import { after, afterEach, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { useFreshDatabase } from "./helpers/db";
import { api, V1 } from "./helpers/api";
import { signedInUser, type SignedInUser } from "./helpers/users";
import { authorizeCredentials } from "../lib/auth/next-auth";
import { RateLimitedError, resetRateLimiter } from "../lib/ratelimit/limiter";
import { clock } from "../lib/util/clock";
import { PEER_ADDRESS_HEADER } from "../lib/http/peer-address";
import { startHttpServer } from "./helpers/http-server";

let teardown: () => Promise<void>;
let alice: SignedInUser;
let bob: SignedInUser;
const realNow = clock.now;

before(async () => {
  ({ teardown } = await useFreshDatabase());
  alice = await signedInUser("customer_admin", "Limit Co");
  bob = await signedInUser("customer_admin", "Limit Co");
});
after(() => teardown());
afterEach(() => {
  for (const k of Object.keys(process.env)) if (k.startsWith("RATE_LIMIT_")) delete process.env[k];
  clock.now = realNow;
  resetRateLimiter();
});

const limitHeaders = (h: Headers) => ({
  limit: Number(h.get("x-ratelimit-limit")),
  remaining: Number(h.get("x-ratelimit-remaining")),
  reset: Number(h.get("x-ratelimit-reset")),
});

describe("API rate limits per client (docs/api-contract.md)", () => {
  test("headers count down, then 429 RATE_LIMITED with Retry-After; other clients keep their budget; the window resets", async () => {
    process.env.RATE_LIMIT_DEFAULT_PER_MINUTE = "3";
    const nowS = Math.floor(Date.now() / 1000);
    for (const expected of [2, 1, 0]) {
      const res = await api.get(`${V1}/benchmarks`, { token: alice.token });
      assert.equal(res.status, 200);
      const h = limitHeaders(res.headers);
      assert.equal(h.limit, 3);
      assert.equal(h.remaining, expected);
      assert.ok(
        h.reset >= nowS + 59 && h.reset <= nowS + 62,
        `reset ${h.reset} is epoch seconds one window ahead of ${nowS}`,
      );
    }
    const limited = await api.get(`${V1}/benchmarks`, { token: alice.token });
    assert.equal(limited.status, 429);
    assert.equal(limited.body.error.code, "RATE_LIMITED");
    assert.equal(limited.body.error.request_id, limited.headers.get("x-request-id"));
    assert.equal(limited.body.error.details.limit, 3);
    const retryAfter = Number(limited.headers.get("retry-after"));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
    assert.equal(limitHeaders(limited.headers).remaining, 0);

    // Another user is another client.
    const other = await api.get(`${V1}/benchmarks`, { token: bob.token });
    assert.equal(other.status, 200);
    assert.equal(limitHeaders(other.headers).remaining, 2);

    // A minute later the window has reset.
    clock.now = () => new Date(Date.now() + 61_000);
    const later = await api.get(`${V1}/benchmarks`, { token: alice.token });
    assert.equal(later.status, 200);
    assert.equal(limitHeaders(later.headers).remaining, 2);
  });

  test("POST /jobs and GET /jobs have their own budgets (100 and 300 by default)", async () => {
    const list = await api.get(`${V1}/jobs`, { token: alice.token });
    assert.equal(limitHeaders(list.headers).limit, 300);
    const other = await api.get(`${V1}/jobs/tags`, { token: alice.token });
    assert.equal(limitHeaders(other.headers).limit, 600);
    process.env.RATE_LIMIT_CREATE_JOB_PER_MINUTE = "1";
    const first = await api.post(`${V1}/jobs`, { token: alice.token, body: { benchmarks: ["quick_mark"] } });
    assert.equal(first.status, 201);
    assert.equal(limitHeaders(first.headers).limit, 1);
    assert.equal(
      (await api.post(`${V1}/jobs`, { token: alice.token, body: { benchmarks: ["quick_mark"] } })).status,
      429,
    );
    assert.equal((await api.get(`${V1}/jobs`, { token: alice.token })).status, 200, "listing is a separate bucket");
  });

  test("agents count per job against their own high budget, not their owner's", async () => {
    process.env.RATE_LIMIT_DEFAULT_PER_MINUTE = "2";
    const job = (
      await api.post(`${V1}/jobs`, { token: alice.token, body: { benchmarks: ["quick_mark"], node_count: 2 } })
    ).body;
    for (let i = 0; i < 5; i++) {
      const res = await api.get(`${V1}/jobs/current`, { token: job.token });
      assert.equal(res.status, 200);
      assert.equal(limitHeaders(res.headers).limit, 120_000);
      assert.equal(limitHeaders(res.headers).remaining, 120_000 - i - 1);
    }
    assert.equal(
      limitHeaders((await api.get(`${V1}/benchmarks`, { token: alice.token })).headers).remaining,
      1,
      "agent calls did not use alice's budget",
    );
  });

  test("failed authentication counts against the client address and carries the headers", async () => {
    process.env.RATE_LIMIT_DEFAULT_PER_MINUTE = "2";
    const from = { "x-forwarded-for": "203.0.113.9" };
    const a = await api.get(`${V1}/jobs/tags`, { token: "forged", headers: from });
    assert.equal(a.status, 401);
    assert.equal(limitHeaders(a.headers).remaining, 1);
    await api.get(`${V1}/jobs/tags`, { token: "forged", headers: from });
    assert.equal((await api.get(`${V1}/jobs/tags`, { token: "forged", headers: from })).status, 429);
  });

  test("RATE_LIMIT_DISABLED=1 turns limits off", async () => {
    process.env.RATE_LIMIT_DEFAULT_PER_MINUTE = "1";
    process.env.RATE_LIMIT_DISABLED = "1";
    for (let i = 0; i < 3; i++) assert.equal((await api.get(`${V1}/benchmarks`, { token: alice.token })).status, 200);
  });
});

describe("sign-in brakes", () => {
  // In-process requests carry the peer address the HTTP server would stamp from the socket.
  const signIn = (username: string, password: string, ip: string) =>
    api.post(`${V1}/token`, { form: { username, password }, headers: { [PEER_ADDRESS_HEADER]: ip } });
  const later = (ms: number) => {
    const base = clock.now().getTime();
    clock.now = () => new Date(base + ms);
  };

  test("failures from one address hold that username there, with a delay that doubles; the owner signs in from elsewhere", async () => {
    for (let i = 0; i < 5; i++)
      assert.equal((await signIn(alice.email, "wrong", "198.51.100.1")).status, 401, "5 free failures");
    assert.equal(
      (await signIn(alice.email, "wrong", "198.51.100.1")).status,
      401,
      "the 6th is checked, and starts a 2 s hold",
    );
    const held = await signIn(alice.email, alice.password, "198.51.100.1");
    assert.equal(held.status, 429, "held, even with the right password, before the password is checked");
    assert.equal(held.body.error.code, "RATE_LIMITED");
    assert.match(held.body.error.message, /failed sign-in attempts/);
    assert.equal(held.headers.get("retry-after"), "2");
    // The owner, from another address, is not affected at all; nor is the username in another case.
    assert.equal((await signIn(alice.email, alice.password, "203.0.113.7")).status, 200);
    assert.equal(
      (await signIn(alice.email.toUpperCase(), "wrong", "198.51.100.1")).status,
      429,
      "usernames are case-insensitive",
    );
    // Each further failure doubles the hold: 4 s, then 8 s.
    later(2_100);
    assert.equal((await signIn(alice.email, "wrong", "198.51.100.1")).status, 401);
    assert.equal((await signIn(alice.email, "wrong", "198.51.100.1")).headers.get("retry-after"), "4");
    later(4_100);
    assert.equal((await signIn(alice.email, "wrong", "198.51.100.1")).status, 401);
    assert.equal((await signIn(alice.email, alice.password, "198.51.100.1")).headers.get("retry-after"), "8");
    later(8_100);
    assert.equal(
      (await signIn(alice.email, alice.password, "198.51.100.1")).status,
      200,
      "after the hold the right password works",
    );
  });

  test("nobody can lock an account out: hundreds of failures from many addresses leave the owner's address open", async () => {
    for (let i = 0; i < 60; i++) await signIn(bob.email, "guess", `192.0.2.${i % 30}`);
    assert.equal((await signIn(bob.email, bob.password, "203.0.113.200")).status, 200);
  });

  test("one address failing across many usernames is refused after 20; other addresses are not", async () => {
    for (let i = 0; i < 20; i++) assert.equal((await signIn(`nobody${i}@x.test`, "guess", "192.0.2.1")).status, 401);
    assert.equal((await signIn(alice.email, alice.password, "192.0.2.1")).status, 429);
    assert.equal((await signIn(alice.email, alice.password, "192.0.2.2")).status, 200, "another address signs in");
  });

  test("successful sign-ins are not counted", async () => {
    process.env.RATE_LIMIT_SIGNIN_PER_USERNAME = "2";
    for (let i = 0; i < 5; i++) assert.equal((await signIn(alice.email, alice.password, "192.0.2.7")).status, 200);
  });

  test("dashboard credentials sign-in (next-auth authorize) shares the brakes", async () => {
    const authorize = (password: string) =>
      authorizeCredentials({ email: bob.email, password }, { headers: { [PEER_ADDRESS_HEADER]: "192.0.2.50" } });
    assert.ok(await authorize(bob.password), "signs in");
    for (let i = 0; i < 6; i++) assert.equal(await authorize("wrong"), null);
    await assert.rejects(authorize(bob.password), (err) => err instanceof RateLimitedError);
    // The API token endpoint sees the same hold at that address, and none at another.
    assert.equal((await signIn(bob.email, bob.password, "192.0.2.50")).status, 429);
    assert.equal((await signIn(bob.email, bob.password, "192.0.2.51")).status, 200);
  });
});

describe("client address over real HTTP (TRUSTED_PROXIES)", () => {
  let server: Awaited<ReturnType<typeof startHttpServer>>;
  before(async () => (server = await startHttpServer()));
  after(() => server.close());
  const tokenFrom = (xff: string, password = "wrong") =>
    fetch(`${server.url}${V1}/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": xff },
      body: new URLSearchParams({ username: alice.email, password }),
    });

  test("from an untrusted peer, a rotating X-Forwarded-For does not escape the per-address limit", async () => {
    process.env.RATE_LIMIT_SIGNIN_PER_IP = "5";
    process.env.RATE_LIMIT_DEFAULT_PER_MINUTE = "12"; // all requests below count against one address
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await tokenFrom(`198.51.100.${i}, 10.0.0.${i}`)).status);
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429, 429, 429]);
    const spoofedPeer = await fetch(`${server.url}${V1}/server`, {
      headers: { [PEER_ADDRESS_HEADER]: "203.0.113.1", "x-forwarded-for": "203.0.113.2" },
    });
    assert.equal(spoofedPeer.status, 200, "a client-sent peer header is overwritten by the socket's address");
    const rotated: number[] = [];
    for (let i = 0; i < 5; i++)
      rotated.push(
        (await fetch(`${server.url}${V1}/server`, { headers: { "x-forwarded-for": `203.0.113.${i}` } })).status,
      );
    assert.deepEqual(rotated, [200, 200, 200, 429, 429]);
  });

  test("behind a trusted proxy the first untrusted hop from the right is the client", async () => {
    process.env.TRUSTED_PROXIES = "127.0.0.0/8, ::1, 10.0.0.0/8";
    try {
      process.env.RATE_LIMIT_SIGNIN_PER_IP = "2";
      // The client's own claim (left) is ignored; 10.x is a trusted inner proxy.
      for (const claim of ["1.1.1.1", "2.2.2.2"])
        assert.equal((await tokenFrom(`${claim}, 198.51.100.50, 10.1.2.3`)).status, 401);
      assert.equal((await tokenFrom("3.3.3.3, 198.51.100.50, 10.1.2.3")).status, 429, "same client behind the proxies");
      assert.equal((await tokenFrom("198.51.100.51", alice.password)).status, 200, "another client");
    } finally {
      delete process.env.TRUSTED_PROXIES;
    }
  });
});
