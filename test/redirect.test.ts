// callbackUrl after sign-in: only same-origin paths, whatever spelling a browser would
// resolve to another host. The browser half (server redirect and the form) is in
// e2e/security.spec.ts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { safeRedirectPath, sameOriginRedirect } from "../lib/auth/redirect";

// As the sign-in page receives them: query values decoded once (`%5C` → `\`).
const BYPASSES = [
  "/\\evil.example/x",
  decodeURIComponent("/%5Cevil.example/x"),
  decodeURIComponent("/%5C%5Cevil.example"),
  "/\tevil.example/x",
  "/\t/evil.example/x",
  "/\n/evil.example",
  "/\r\n/evil.example",
  "//evil.example",
  "//evil.example/x",
  "///evil.example",
  "/\\\\evil.example",
  "/.//evil.example",
  "/x/..//evil.example",
  "/%2e//evil.example",
  "https://evil.example",
  "http:evil.example",
  "javascript:alert(1)",
  "\\\\evil.example",
  " //evil.example",
  "evil.example",
  "",
];

test("every bypass spelling falls back to the dashboard", () => {
  for (const value of BYPASSES) assert.equal(safeRedirectPath(value), "/jobs", JSON.stringify(value));
  assert.equal(safeRedirectPath(undefined), "/jobs");
  assert.equal(safeRedirectPath(["/jobs/1"]), "/jobs");
});

test("same-origin paths are kept, with their query and hash", () => {
  for (const value of ["/jobs", "/jobs/123?tab=logs#x", "/jobs?tags=a&tags=b", "/fleet/abc%2Fdef", "/%5Cnot-a-host"]) {
    const out = safeRedirectPath(value);
    assert.equal(new URL(out, "http://dash.test").origin, "http://dash.test", value);
    assert.equal(out, value);
  }
});

test("next-auth's redirect callback keeps every redirect on the dashboard's origin", async () => {
  const redirect = sameOriginRedirect; // wired as callbacks.redirect in lib/auth/next-auth.ts
  const baseUrl = "http://dash.test";
  for (const url of [...BYPASSES, "https://evil.example/jobs", "http://dash.test.evil.example/"]) {
    const out = await redirect({ url, baseUrl });
    assert.equal(new URL(out).origin, baseUrl, JSON.stringify(url));
    assert.ok(!new URL(out).pathname.startsWith("//"), JSON.stringify(url));
  }
  assert.equal(await redirect({ url: "/jobs/7", baseUrl }), "http://dash.test/jobs/7");
  assert.equal(await redirect({ url: "http://dash.test/fleet?x=1", baseUrl }), "http://dash.test/fleet?x=1");
  assert.equal(sameOriginRedirect({ url: "/\\evil.example", baseUrl }), "http://dash.test/");
});
