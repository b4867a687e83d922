import { test } from "node:test";
import assert from "node:assert/strict";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import ApiDocsPage from "../app/(dashboard)/api-docs/page";
import { openApiDocument } from "../lib/openapi/document";

// The page is a plain server component over the OpenAPI document: render it as Next.js would.
const html = renderToStaticMarkup(createElement(ApiDocsPage));
const text = html
  .replace(/<[^>]+>/g, " ")
  .replace(/&quot;/g, '"')
  .replace(/&#x27;/g, "'")
  .replace(/&amp;/g, "&")
  .replace(/\s+/g, " ");

test("the API reference lists every operation of the document, grouped by tag", () => {
  const doc = openApiDocument() as Record<string, any>;
  for (const tag of doc.tags) assert.ok(html.includes(`id="tag-${tag.name}"`), `section for ${tag.name}`);
  for (const [path, methods] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
    for (const [method, op] of Object.entries(methods)) {
      assert.ok(html.includes(`id="${op.operationId}"`), `${method} ${path}`);
      assert.ok(text.includes(`${method.toUpperCase()} ${path}`), `${method.toUpperCase()} ${path} shown`);
      assert.ok(text.includes(op.summary), `summary of ${path}`);
    }
  }
});

test("parameters, request and response schemas are shown", () => {
  // GET /jobs query parameters with types and defaults
  assert.match(text, /sort_order query one of "asc" \| "desc" \(default "desc"\) no/);
  // POST /jobs body fields with limits, from the same zod schema the handler parses with
  assert.match(text, /Request body \(application\/json\)/);
  assert.match(text, /node_count integer, 1–256/);
  assert.match(text, /benchmarks required array of/);
  // Response of the server check, and the shared error answers
  assert.match(text, /node_seconds required integer — Sum over the caller's visible jobs' nodes/);
  assert.match(text, /created_at required string, date-time/);
  assert.match(text, /Response 429: error body \(429\)/);
  assert.match(text, /Auth: job token/);
});
