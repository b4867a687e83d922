import { Prisma } from "../generated/prisma/client";

/** The table column of a model field: `failedMessage` → `failed_message` (the schema's @map convention). */
export const columnOf = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The model field of a table column: `failed_message` → `failedMessage`. */
export const fieldOf = (column: string) => column.replace(/_(.)/g, (_, c: string) => c.toUpperCase());

/**
 * `j.failed_message AS "failedMessage", …` for the fields of a Prisma-style select: a raw
 * statement's rows come back in the shape Prisma would give them, and the select stays the
 * one list of what is read. Ids (bigint) are the exception: text or bigint, by driver
 * (lib/db/client.ts directQuery), for the caller to turn into BigInt. Fields in `asText` (JSON
 * documents) come as their text, unparsed (lib/util/json-text.ts).
 */
export function selectSql(select: Record<string, boolean>, alias: string, asText: string[] = []): Prisma.Sql {
  return Prisma.raw(
    Object.entries(select)
      .filter(([, on]) => on)
      .map(([field]) => `${alias}.${columnOf(field)}${asText.includes(field) ? "::text" : ""} AS "${field}"`)
      .join(", "),
  );
}

/** A row whose document fields K were read as text (selectSql's `asText`). */
export type TextDocs<T, K extends keyof T> = Omit<T, K> & Record<K, string | null>;

/** A row as a raw statement returns it: bigint columns as text or bigint, by driver. */
export type RawRow<T> = {
  [K in keyof T]: T[K] extends bigint ? bigint | string : T[K] extends bigint | null ? bigint | string | null : T[K];
};

/** A bigint column of a raw row as Prisma would give it. */
export function toBigInt<V extends bigint | string | null>(v: V): V extends null ? null : bigint;
export function toBigInt(v: bigint | string | null): bigint | null {
  return v === null ? null : BigInt(v);
}
