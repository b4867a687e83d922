import type { IncomingMessage } from "node:http";
import zlib from "node:zlib";

/**
 * Compression for answers served beside Next.js (lib/http/direct-routes.ts), by the rules of
 * Next.js's own (the `compression` middleware): only when the client accepts it, for a text or
 * JSON body of at least 1 KB, and never when the answer says `no-transform` or is already
 * encoded. Unlike that middleware the body is whole here, so it is compressed in one
 * synchronous call rather than as a stream (about 0.6 ms of server and client time per request
 * less, docs/performance-budget.md).
 *
 * Brotli when the client names it (browsers do, over plain HTTP too), else gzip. Both at their
 * fastest useful setting, measured on the benchmark's answers (2026-12-01, one core):
 * a 300-job page (225 KB) took 1.2 ms as gzip level 1 (42.5 KB) and 0.36 ms as Brotli quality 1
 * (38.8 KB); the Performance page's list (89 KB) 0.13 and 0.12 ms (13.8 and 11.7 KB); a 15 KB
 * page 0.04 and 0.03 ms. Decoding costs the client the same for either. Gzip level 1 is half
 * the CPU of its default for a third more bytes.
 */
export const COMPRESS_MIN_BYTES = 1024;
const COMPRESSIBLE = /^(?:text\/|application\/(?:json|[\w.-]+\+json|javascript|xml))/i;

export type ContentCoding = "br" | "gzip";

/**
 * The coding to answer an Accept-Encoding header with: the acceptable one (q above 0) with the
 * highest q, Brotli on a tie; Brotli only when named, gzip also through `*` (a client that
 * accepts "anything" is likelier to decode gzip). Null: send the body as it is.
 */
export function chooseEncoding(header: string | string[] | undefined): ContentCoding | null {
  if (!header) return null;
  const q: Record<string, number> = {};
  for (const part of String(header).split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    if (!name) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const value = qParam ? Number(qParam.slice(2)) : 1;
    q[name] = Number.isFinite(value) ? value : 0;
  }
  const br = q["br"] ?? 0;
  const gzip = q["gzip"] ?? q["x-gzip"] ?? q["*"] ?? 0;
  if (br > 0 && br >= gzip) return "br";
  return gzip > 0 ? "gzip" : null;
}

function compress(body: Buffer, coding: ContentCoding): Buffer {
  if (coding === "gzip") return zlib.gzipSync(body, { level: 1 });
  return zlib.brotliCompressSync(body, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: 1,
      [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
    },
  });
}

/**
 * The body to send this client: compressed when the rules allow, with `Content-Encoding` and
 * `Vary` set in `headers` (lower-case names, as a Fetch `Headers` gives them).
 */
export function encodeForClient(req: IncomingMessage, body: Buffer, headers: Record<string, string>): Buffer {
  const type = headers["content-type"] ?? "";
  if (!COMPRESSIBLE.test(type) || headers["content-encoding"]) return body;
  if (/\bno-transform\b/i.test(headers["cache-control"] ?? "")) return body;
  if (body.length < COMPRESS_MIN_BYTES) return body;
  headers["vary"] = headers["vary"] ? `${headers["vary"]}, Accept-Encoding` : "Accept-Encoding";
  const coding = chooseEncoding(req.headers["accept-encoding"]);
  if (!coding) return body;
  headers["content-encoding"] = coding;
  return compress(body, coding);
}
