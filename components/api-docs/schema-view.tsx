// An OpenAPI document is arbitrary JSON, walked key by key: typing every node would add nothing.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Schema = Record<string, any>;

/** One line for a JSON Schema's type: "string ≤ 60", "integer 1–256", "one of a | b", "array of …". */
export function schemaSummary(s: Schema | undefined): string {
  if (!s || Object.keys(s).length === 0) return "any";
  if (s.$ref) return String(s.$ref).split("/").pop()!;
  if (s.enum) return `one of ${s.enum.map((v: unknown) => JSON.stringify(v)).join(" | ")}`;
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.anyOf || s.oneOf) return (s.anyOf ?? s.oneOf).map(schemaSummary).join(" or ");
  const limits: string[] = [];
  // z.int() bounds every integer by the safe-integer range: not worth showing.
  const min = s.minimum === Number.MIN_SAFE_INTEGER ? undefined : s.minimum;
  const max = s.maximum === Number.MAX_SAFE_INTEGER ? undefined : s.maximum;
  if (min !== undefined || max !== undefined) limits.push(`${min ?? "…"}–${max ?? "…"}`);
  if (s.minLength !== undefined) limits.push(`≥ ${s.minLength} chars`);
  if (s.maxLength !== undefined) limits.push(`≤ ${s.maxLength} chars`);
  if (s.maxItems !== undefined) limits.push(`≤ ${s.maxItems} items`);
  if (s.pattern && !s.format) limits.push(`matching ${s.pattern}`); // a format says it better than its regex
  if (s.format) limits.push(s.format);
  const type =
    s.type === "array"
      ? `array of ${schemaSummary(s.items)}`
      : Array.isArray(s.type)
        ? s.type.join(" or ")
        : String(s.type ?? "object");
  return [type, ...limits].join(", ");
}

/** A JSON Schema as nested field lists: name, type, required, description. */
export function SchemaView({ schema }: { schema: Schema }) {
  const props = schema.properties as Record<string, Schema> | undefined;
  const itemProps = schema.type === "array" && schema.items?.properties ? schema.items : undefined;
  if (!props && itemProps) return <SchemaView schema={itemProps} />;
  if (!props) return <code>{schemaSummary(schema)}</code>;
  const required = new Set<string>(schema.required ?? []);
  return (
    <ul className="api-schema">
      {Object.entries(props).map(([name, s]) => (
        <li key={name}>
          <code>{name}</code>
          {required.has(name) ? <strong> required</strong> : null} <span className="api-muted">{schemaSummary(s)}</span>
          {s.description ? <span> — {s.description}</span> : null}
          {s.properties || s.items?.properties ? <SchemaView schema={s} /> : null}
        </li>
      ))}
    </ul>
  );
}
