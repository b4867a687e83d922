"use client";

/** The subset of JSON Schema the catalog's config schemas use (GET /benchmarks config_schema). */
export interface ConfigProperty {
  type?: string;
  description?: string;
  minimum?: number;
  maximum?: number;
  items?: { type?: string };
  enum?: string[];
}
export type ConfigSchema = { properties?: Record<string, ConfigProperty> };

const label = (key: string) => key.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());

/** Form text → config value: numbers for integer fields, number lists for arrays; blanks are left out. */
export function configFromInputs(schema: ConfigSchema, inputs: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    const raw = inputs[key]?.trim();
    if (!raw) continue;
    if (prop.type === "array")
      out[key] = raw
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean)
        .map((s) => (prop.items?.type === "integer" || prop.items?.type === "number" ? Number(s) : s));
    else if (prop.type === "integer" || prop.type === "number") out[key] = Number(raw);
    else out[key] = raw;
  }
  return out;
}

export function ConfigFields({
  benchmarkId,
  schema,
  values,
  onChange,
}: {
  benchmarkId: string;
  schema: ConfigSchema;
  values: Record<string, string>;
  onChange: (key: string, value: string) => void;
}) {
  const props = Object.entries(schema.properties ?? {});
  if (!props.length) return null;
  return (
    <div className="two">
      {props.map(([key, p]) => {
        const hintId = `${benchmarkId}-${key}-hint`;
        const hint = [
          p.description,
          p.minimum !== undefined && p.maximum !== undefined ? `${p.minimum}–${p.maximum}` : null,
          p.type === "array" ? "comma-separated" : null,
        ]
          .filter(Boolean)
          .join(" · ");
        return (
          <label key={key} className="field">
            <span>
              {label(key)} <span className="muted">(optional)</span>
            </span>
            {p.enum ? (
              <select
                name={`${benchmarkId}.${key}`}
                value={values[key] ?? ""}
                onChange={(e) => onChange(key, e.target.value)}
                aria-describedby={hint ? hintId : undefined}
              >
                <option value="">Default</option>
                {p.enum.map((v) => (
                  <option key={v} value={v}>
                    {v}
                  </option>
                ))}
              </select>
            ) : (
              <input
                type={p.type === "integer" || p.type === "number" ? "number" : "text"}
                name={`${benchmarkId}.${key}`}
                min={p.minimum}
                max={p.maximum}
                value={values[key] ?? ""}
                onChange={(e) => onChange(key, e.target.value)}
                placeholder={hint}
                aria-describedby={hint ? hintId : undefined}
              />
            )}
            {hint && (
              <span id={hintId} className="sr-only">
                {hint}
              </span>
            )}
          </label>
        );
      })}
    </div>
  );
}
