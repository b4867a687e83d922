import { z } from "zod";
import { PayloadTooLargeError, ValidationError } from "./errors";
import { assertJsonContentType } from "./csrf";

const MAX_BODY_BYTES = 1024 * 1024;

/** Turns zod issues into one readable message plus per-field details. */
export function validationError(error: z.ZodError): ValidationError {
  const details = error.issues.map((i) => ({ field: i.path.join(".") || null, message: i.message }));
  const first = details[0];
  const message = first ? (first.field ? `${first.field}: ${first.message}` : first.message) : "Invalid request";
  return new ValidationError(message, details);
}

export function parseWith<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw validationError(r.error);
  return r.data;
}

/**
 * Query string → plain object for a zod schema. Keys listed in `arrays` collect every
 * repetition (`?tags=a&tags=b`) and comma lists; other keys take their first value.
 */
export function parseQuery<S extends z.ZodType>(schema: S, url: URL, arrays: readonly string[] = []): z.output<S> {
  const obj: Record<string, unknown> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    obj[key] = arrays.includes(key) ? values : values[0];
  }
  return parseWith(schema, obj);
}

/** Reads a JSON body; malformed or oversized bodies are a clear 400/413, never a 500. */
export async function readJson(req: Request): Promise<unknown> {
  assertJsonContentType(req);
  const text = await req.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw new PayloadTooLargeError(`Request body exceeds ${MAX_BODY_BYTES} bytes`);
  if (!text.trim()) throw new ValidationError("Request body must be a JSON document");
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ValidationError(`Malformed JSON body: ${(err as Error).message}`);
  }
}

export async function parseJson<S extends z.ZodType>(schema: S, req: Request): Promise<z.output<S>> {
  return parseWith(schema, await readJson(req));
}

/** Reads an application/x-www-form-urlencoded (or multipart) body into a plain object. */
export async function readForm(req: Request): Promise<Record<string, string>> {
  const type = req.headers.get("content-type") ?? "";
  if (type.includes("application/json")) {
    const body = await readJson(req);
    if (!body || typeof body !== "object" || Array.isArray(body)) throw new ValidationError("Body must be an object");
    return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, String(v)]));
  }
  const text = await req.text();
  if (type.includes("multipart/form-data")) {
    const form = await new Response(text, { headers: { "content-type": type } }).formData().catch(() => {
      throw new ValidationError("Malformed form body");
    });
    return Object.fromEntries([...form.entries()].map(([k, v]) => [k, String(v)]));
  }
  return Object.fromEntries(new URLSearchParams(text));
}
