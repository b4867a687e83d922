import type { IncomingMessage } from "node:http";
import zlib from "node:zlib";

/**
 * gzip for answers served beside Next.js (lib/http/direct-routes.ts), by the rules of Next.js's
 * own compression (the `compression` middleware): only when the client accepts gzip, for a
 * text or JSON body of at least 1 KB, and never when the answer says `no-transform` or is
 * already encoded. Unlike that middleware the body is whole here, so it is compressed in one
 * synchronous call rather than as a stream: for a 15 KB page of jobs that is under 0.1 ms,
 * where the streaming path cost about 0.6 ms of server and client time per request
 * (docs/performance-budget.md). Level 1: half the CPU of the default on a 300-job page, for
 * about a third more bytes.
 */
export const GZIP_MIN_BYTES = 1024;
const COMPRESSIBLE = /^(?:text\/|application\/(?:json|[\w.-]+\+json|javascript|xml))/i;

/** Whether an Accept-Encoding header admits gzip (named, or through `*`, with a q above 0). */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  if (!header) return false;
  const q: Record<string, number> = {};
  for (const part of String(header).split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    if (!name) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const value = qParam ? Number(qParam.slice(2)) : 1;
    q[name] = Number.isFinite(value) ? value : 0;
  }
  return (q["gzip"] ?? q["x-gzip"] ?? q["*"] ?? 0) > 0;
}

/**
 * The body to send this client: gzipped when the rules allow, with `Content-Encoding` and
 * `Vary` set in `headers` (lower-case names, as a Fetch `Headers` gives them).
 */
export function encodeForClient(req: IncomingMessage, body: Buffer, headers: Record<string, string>): Buffer {
  const type = headers["content-type"] ?? "";
  if (!COMPRESSIBLE.test(type) || headers["content-encoding"]) return body;
  if (/\bno-transform\b/i.test(headers["cache-control"] ?? "")) return body;
  if (body.length < GZIP_MIN_BYTES) return body;
  headers["vary"] = headers["vary"] ? `${headers["vary"]}, Accept-Encoding` : "Accept-Encoding";
  if (!acceptsGzip(req.headers["accept-encoding"])) return body;
  headers["content-encoding"] = "gzip";
  return zlib.gzipSync(body, { level: 1 });
}
