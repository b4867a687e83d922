import { withJsonTextSpliced } from "../util/json-text";

/**
 * An answer's JSON as UTF-8 bytes, exactly as `JSON.stringify` writes it, with any BigInt as a
 * string.
 *
 * A big answer is written piece by piece. V8 builds a long JSON.stringify result as a rope,
 * and the first read of it (its length in bytes, its encoding) first copies it into one string
 * of its own; above 128 KB that string and the encoded buffer each take fresh pages from the
 * OS. For a 300-job page (225 KB) stringify took 0.46 ms and its encoding 1.6–1.8 ms more;
 * written here, its 300 items stringified and encoded one by one, then joined, 0.69 ms in all
 * (docs/performance-budget.md). Small answers gain nothing that way (an 89 KB page took
 * 0.32 ms either way), so only a top-level array of many items is taken apart.
 */
export const PIECEWISE_MIN_ITEMS = 100;

/**
 * A document read as text (JsonText, lib/util/json-text.ts) is written as that text.
 *
 * The serialisers already give ids as strings, so the plain (fast) stringify is tried first; a
 * replacer function makes V8 visit every value through it, about half as slow again on a page
 * of jobs. Undefined where JSON.stringify gives undefined (a function, a symbol, undefined).
 */
export function toJsonText(value: unknown): string | undefined {
  return withJsonTextSpliced(() => {
    try {
      return JSON.stringify(value);
    } catch (err) {
      if (!(err instanceof TypeError)) throw err;
      return JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
    }
  });
}

const hasToJSON = (v: unknown): boolean => typeof (v as { toJSON?: unknown } | null)?.toJSON === "function";

/**
 * A member's JSON exactly as JSON.stringify writes it inside its parent: written inside a parent
 * of its own, so toJSON gets its key and undefined is left out (undefined here).
 */
function memberText(key: string, value: unknown): string | undefined {
  // The common case, an object of its own: its members get their keys from JSON.stringify.
  if (typeof value === "object" && value !== null && !hasToJSON(value)) return toJsonText(value);
  const wrapped = toJsonText({ [key]: value }) as string;
  return wrapped === "{}" ? undefined : wrapped.slice(JSON.stringify(key).length + 2, -1);
}

const isPlainRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && !hasToJSON(v);

const hasManyItems = (v: unknown): v is unknown[] => Array.isArray(v) && v.length >= PIECEWISE_MIN_ITEMS;

export function toJsonBytes(body: unknown): Buffer {
  if (isPlainRecord(body) && Object.values(body).some(hasManyItems)) {
    const parts: Buffer[] = [];
    let sep = "{";
    for (const [key, value] of Object.entries(body)) {
      if (hasManyItems(value) && !hasToJSON(value)) {
        parts.push(Buffer.from(`${sep}${JSON.stringify(key)}:[`));
        for (let i = 0; i < value.length; i++)
          parts.push(Buffer.from(`${i ? "," : ""}${memberText(String(i), value[i]) ?? "null"}`));
        parts.push(Buffer.from("]"));
      } else {
        const text = memberText(key, value);
        if (text === undefined) continue; // omitted, as JSON.stringify omits it
        parts.push(Buffer.from(`${sep}${JSON.stringify(key)}:${text}`));
      }
      sep = ",";
    }
    parts.push(Buffer.from(sep === "{" ? "{}" : "}"));
    return Buffer.concat(parts);
  }
  return Buffer.from(toJsonText(body) ?? "null");
}
