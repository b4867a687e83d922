// The SQL migrations are hand-written (the Prisma CLI cannot run its schema engine here), so
// this proves the migrated database is exactly what schema.prisma describes: tables, columns,
// types, nullability, defaults on lists, indexes (with GIN where declared) and foreign keys.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { createRequire } from "node:module";
import { useFreshDatabase } from "./helpers/db";
import { getDb } from "../lib/db/client";

const require = createRequire(import.meta.url);
const wasm = require("@prisma/prisma-schema-wasm/src/prisma_schema_build.js");

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: string;
  type: string;
  isRequired: boolean;
  isList: boolean;
  nativeType?: [string, string[]] | null;
  relationFromFields?: string[];
  relationName?: string;
}
interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}
interface DmmfIndex {
  model: string;
  type: "id" | "unique" | "normal" | "fulltext";
  fields: { name: string }[];
  algorithm?: string;
}

const dmmf = JSON.parse(
  wasm.get_dmmf(JSON.stringify({ prismaSchema: [["schema.prisma", fs.readFileSync("prisma/schema.prisma", "utf8")]] })),
);
const models: DmmfModel[] = dmmf.datamodel.models;
const indexes: DmmfIndex[] = dmmf.datamodel.indexes;

const PG_TYPES: Record<string, string> = {
  Int: "integer",
  BigInt: "bigint",
  String: "text",
  Boolean: "boolean",
  DateTime: "timestamp with time zone",
  Json: "jsonb",
  Float: "double precision",
};
const table = (m: DmmfModel) => m.dbName ?? m.name;
const column = (m: DmmfModel, field: string) => {
  const f = m.fields.find((x) => x.name === field)!;
  return f.dbName ?? f.name;
};

let teardown: () => Promise<void>;
let q: <T>(sql: string, ...params: unknown[]) => Promise<T[]>;
// PostgreSQL's element type names of the list fields' scalar types (udt_name is `_` + this).
const LIST_ELEMENT_UDT: Record<string, string> = { String: "text", Int: "int4", BigInt: "int8" };

before(async () => {
  ({ teardown } = await useFreshDatabase());
  const db = await getDb();
  q = (sql, ...params) => db.$queryRawUnsafe(sql, ...params);
});
after(() => teardown());

test("every model is a table and no table is unmodelled", async () => {
  const rows = await q<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
  );
  const actual = rows
    .map((r) => r.table_name)
    .filter((t) => t !== "_benchboard_migrations")
    .sort();
  assert.deepEqual(actual, models.map(table).sort());
});

test("columns match fields: names, types, nullability", async () => {
  for (const m of models) {
    const cols = await q<{
      column_name: string;
      data_type: string;
      udt_name: string;
      is_nullable: string;
      datetime_precision: number | null;
    }>(
      `SELECT column_name, data_type, udt_name, is_nullable, datetime_precision FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1`,
      table(m),
    );
    const scalars = m.fields.filter((f) => f.kind === "scalar");
    assert.deepEqual(
      cols.map((c) => c.column_name).sort(),
      scalars.map((f) => f.dbName ?? f.name).sort(),
      `columns of ${table(m)}`,
    );
    for (const f of scalars) {
      const c = cols.find((x) => x.column_name === (f.dbName ?? f.name))!;
      const where = `${table(m)}.${c.column_name}`;
      if (f.isList) {
        assert.equal(c.data_type, "ARRAY", where);
        assert.equal(c.udt_name, `_${LIST_ELEMENT_UDT[f.type] ?? f.type.toLowerCase()}`, where);
        // Prisma lists are never null; the migration backs that with NOT NULL DEFAULT '{}'.
        assert.equal(c.is_nullable, "NO", where);
      } else {
        assert.equal(c.data_type, PG_TYPES[f.type], `${where} type`);
        assert.equal(c.is_nullable, f.isRequired ? "NO" : "YES", `${where} nullability`);
      }
      if (f.nativeType?.[0] === "Timestamptz")
        assert.equal(c.datetime_precision, Number(f.nativeType[1][0] ?? 6), `${where} precision`);
    }
  }
});

test("indexes match @id, @unique, @@unique and @@index (with their method)", async () => {
  const rows = await q<{ tablename: string; indexdef: string }>(
    `SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = 'public'`,
  );
  const parse = (def: string) => {
    const m = def.match(/^CREATE (UNIQUE )?INDEX \S+ ON public\.(\S+) USING (\w+) \((.+?)\)( WHERE .*)?$/)!;
    return {
      unique: !!m[1],
      table: m[2],
      method: m[3],
      // An operator class (gin_trgm_ops) is how a column is indexed, not which column.
      columns: m[4].split(", ").map((c) => c.replace(/"/g, "").replace(/ \w+_ops$/, "")),
      partial: !!m[5],
    };
  };
  const actual = rows.map((r) => parse(r.indexdef)).filter((i) => i.table !== "_benchboard_migrations");
  const expected = indexes.map((i) => {
    const m = models.find((x) => x.name === i.model)!;
    return {
      unique: i.type !== "normal",
      table: table(m),
      method: (i.algorithm ?? "BTree").toLowerCase(),
      columns: i.fields.map((f) => column(m, f.name)),
      partial: false,
    };
  });
  const key = (i: { unique: boolean; table: string; method: string; columns: string[] }) =>
    `${i.table}(${i.columns.join(",")}) ${i.method}${i.unique ? " unique" : ""}`;
  // Partial indexes cannot be expressed in schema.prisma; they are extra by design.
  assert.deepEqual(
    actual
      .filter((i) => !i.partial)
      .map(key)
      .sort(),
    expected.map(key).sort(),
  );
});

test("foreign keys match relations", async () => {
  const rows = await q<{ table_name: string; column_name: string; foreign_table_name: string }>(`
    SELECT tc.table_name, kcu.column_name, ccu.table_name AS foreign_table_name
    FROM information_schema.table_constraints tc
    JOIN information_schema.key_column_usage kcu ON tc.constraint_name = kcu.constraint_name AND tc.table_schema = kcu.table_schema
    JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema
    WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = 'public'`);
  const actual = rows.map((r) => `${r.table_name}.${r.column_name}->${r.foreign_table_name}`).sort();
  const expected = models
    .flatMap((m) =>
      m.fields
        .filter((f) => f.kind === "object" && f.relationFromFields?.length)
        .map(
          (f) => `${table(m)}.${column(m, f.relationFromFields![0])}->${table(models.find((x) => x.name === f.type)!)}`,
        ),
    )
    .sort();
  assert.deepEqual(actual, expected);
});
