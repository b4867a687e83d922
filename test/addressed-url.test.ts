// lib/api/with-api.ts addressedUrl: the host a client addressed, which report links are made of
// when NEXTAUTH_URL is unset (README, Configuration). Under next start: test/agent-listener.test.ts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { addressedUrl } from "../lib/api/with-api";

const at = (url: string, headers: Record<string, string>) => addressedUrl(new Request(url, { headers })).href;

test("the Host header names the origin; a proxy's X-Forwarded-Host wins over it", () => {
  assert.equal(at("http://localhost:3000/a?b=1", { host: "example.test:8080" }), "http://example.test:8080/a?b=1");
  assert.equal(
    at("https://localhost:3000/a", { host: "app:3000", "x-forwarded-host": "bench.example, inner.proxy" }),
    "https://bench.example/a",
  );
});

test("a host without a port means the scheme's default, not the server's own port", () => {
  assert.equal(at("http://localhost:3000/a", { host: "example.test" }), "http://example.test/a");
  assert.equal(at("http://localhost:3000/a", { host: "[::1]" }), "http://[::1]/a");
});

test("anything that is not a bare host leaves the URL as it came", () => {
  for (const host of ["evil.test/x", "user@evil.test", "a b", "evil.test?q", ""])
    assert.equal(at("http://localhost:3000/a", { host }), "http://localhost:3000/a", host);
});
