import { randomUUID } from "node:crypto";

/**
 * A JSON document carried as the text PostgreSQL sent (a jsonb column read `::text`), to be
 * written into an answer as it is: a job's results, configs and inventories make up most of
 * its detail's bytes, and parsing them only to write them out again cost about 1.2 ms of CPU
 * for a 16-node job (docs/performance-budget.md, "Read path"). lib/api/json-bytes.ts splices
 * the text in; any other writer — JSON.stringify of an archive, say — gets the value it stands
 * for from toJSON. `T` is that value's type, for the answer's types (lib/client/types.ts).
 */
export class JsonText<T = unknown> {
  /** Only for the answer's types: what this stands for. */
  declare readonly value?: T;
  constructor(readonly text: string) {}
  toJSON(): T | string {
    const splice = (globalThis as Global)[SPLICE];
    if (!splice) return JSON.parse(this.text) as T;
    splice.texts.push(this.text);
    return `${splice.mark}${splice.texts.length - 1}`;
  }
}

/** A document column's text as its JsonText, NULL as null. */
export const jsonText = <T = unknown>(text: string | null): JsonText<T> | null =>
  text === null ? null : new JsonText<T>(text);

// While a writer splices, JsonText.toJSON hands it a placeholder string instead of the value and
// keeps the text. The state is global, not this module's: the build may bundle the module more
// than once (as lib/api/respond.ts explains for JsonResponse). The placeholder carries a random
// part made at start and never written out, which no stored string can hold.
//
// The mark is ASCII on purpose. V8 keeps a string with any character beyond Latin-1 at two bytes
// a character, and one such character in every placeholder made the whole answer's JSON
// two-byte: splicing a 16-node job's detail (100 KB, 200 documents) then took 0.9 ms and its
// UTF-8 encoding 0.4 ms more, against 0.03 and 0.13 ms with this mark
// (docs/performance-budget.md, "Read path").
const SPLICE = Symbol.for("benchboard.jsonTextSplice");
type Global = typeof globalThis & { [SPLICE]?: { mark: string; texts: string[] } | null };
const MARK = `json-text:${randomUUID()}:`;
const PLACEHOLDER = new RegExp(`"${MARK}(\\d+)"`, "g");

/**
 * Runs `write` (synchronous JSON.stringify calls) with every JsonText it meets written as its
 * own text: the placeholders JSON.stringify wrote are replaced by the texts afterwards.
 */
export function withJsonTextSpliced(write: () => string | undefined): string | undefined {
  const g = globalThis as Global;
  const outer = g[SPLICE];
  const splice = { mark: MARK, texts: [] as string[] };
  g[SPLICE] = splice;
  let out: string | undefined;
  try {
    out = write();
  } finally {
    g[SPLICE] = outer;
  }
  return splice.texts.length && out !== undefined
    ? out.replace(PLACEHOLDER, (_m, i: string) => splice.texts[Number(i)])
    : out;
}
