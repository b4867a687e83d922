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
// part made at start, which no stored string can hold.
const SPLICE = Symbol.for("benchboard.jsonTextSplice");
type Global = typeof globalThis & { [SPLICE]?: { mark: string; texts: string[] } | null };
const MARK = `\u2060json-text:${randomUUID()}:`;
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
