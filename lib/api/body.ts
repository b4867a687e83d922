import { PayloadTooLargeError, ValidationError } from "./errors";
import { assertJsonContentType } from "./csrf";

/** Largest request body any endpoint reads (README: "Limits"). */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Deepest nesting of arrays/objects accepted in a JSON body (README: "Limits"). */
export const MAX_JSON_DEPTH = 64;

function tooLarge(max: number): PayloadTooLargeError {
  return new PayloadTooLargeError(`Request body exceeds ${max} bytes`);
}

/**
 * The body as text, read chunk by chunk and abandoned as soon as it passes `max` bytes, so an
 * oversized upload costs at most `max` bytes of memory (a declared Content-Length over the
 * limit is refused before reading anything).
 */
export async function readBodyText(req: Request, max = MAX_BODY_BYTES): Promise<string> {
  const declared = Number(req.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > max) throw tooLarge(max);
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel().catch(() => {});
      throw tooLarge(max);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** What makes a parsed JSON document unacceptable, and where (a path of keys/indexes). */
export interface JsonProblem {
  path: string[];
  message: string;
}

/**
 * Finds the first place a document nests deeper than `max` or holds a NUL character (in a key
 * or a string): PostgreSQL text and jsonb cannot store U+0000, so it is refused up front
 * (README: "Limits") rather than failing the insert.
 */
export function jsonProblem(value: unknown, max = MAX_JSON_DEPTH): JsonProblem | null {
  // Recursion is bounded by `max`, so a hostile document cannot exhaust the stack here. Every
  // JSON body is walked, so the walk allocates nothing on the way: the path is a stack, copied
  // only when a problem is found.
  const path: string[] = [];
  const found = (message: string): JsonProblem => ({ path: [...path], message });
  const walk = (v: unknown, depth: number): JsonProblem | null => {
    if (typeof v === "string") return v.includes("\u0000") ? found("must not contain NUL (\\u0000) characters") : null;
    if (v === null || typeof v !== "object") return null;
    if (depth >= max) return found(`nested deeper than ${max} levels`);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const x = v[i];
        if (x === null || (typeof x !== "object" && typeof x !== "string")) continue;
        path.push(String(i));
        const problem = walk(x, depth + 1);
        path.pop();
        if (problem) return problem;
      }
      return null;
    }
    for (const k in v) {
      if (k.includes("\u0000")) {
        path.push(k.replaceAll("\u0000", "\\u0000"));
        return found("keys must not contain NUL (\\u0000) characters");
      }
      const x = (v as Record<string, unknown>)[k];
      if (x === null || (typeof x !== "object" && typeof x !== "string")) continue;
      path.push(k);
      const problem = walk(x, depth + 1);
      path.pop();
      if (problem) return problem;
    }
    return null;
  };
  return walk(value, 0);
}

/** The problem as a 400 naming the field (shortened when deep). */
export function jsonProblemError(problem: JsonProblem): ValidationError {
  const field = problem.path.length > 8 ? `${problem.path.slice(0, 8).join(".")}…` : problem.path.join(".");
  return new ValidationError(`${field || "body"}: ${problem.message}`, [
    { field: field || null, message: problem.message },
  ]);
}

/** Parses a JSON body: empty, malformed, too deeply nested or NUL-carrying documents are a 400. */
export function parseJsonText(text: string): unknown {
  if (!text.trim()) throw new ValidationError("Request body must be a JSON document");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ValidationError(`Malformed JSON body: ${(err as Error).message}`);
  }
  const problem = jsonProblem(value);
  if (problem) throw jsonProblemError(problem);
  return value;
}

/** Reads a JSON body within the size limit; malformed or oversized bodies are a clear 400/413. */
export async function readJson(req: Request): Promise<unknown> {
  assertJsonContentType(req);
  return parseJsonText(await readBodyText(req));
}

/**
 * For handlers that parse the body themselves (next-auth): the body text, read within the size
 * limit and, when declared JSON, checked to be a well-formed document first.
 */
export async function readCheckedBody(req: Request): Promise<string | undefined> {
  if (req.method === "GET" || req.method === "HEAD") return undefined;
  const text = await readBodyText(req);
  if ((req.headers.get("content-type") ?? "").includes("application/json")) parseJsonText(text);
  return text;
}
