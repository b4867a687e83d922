type JobSchemas = typeof import("@/lib/jobs/schemas");
let rules: Promise<JobSchemas> | undefined;

/**
 * Starts loading the API's tag rules (its zod schemas) when someone is about to tag, not with
 * the Jobs page: its first load carries no validation library (docs/performance-budget.md).
 */
export function loadTagRules(): Promise<JobSchemas> {
  rules ??= import("@/lib/jobs/schemas").catch((e: unknown) => {
    rules = undefined; // a failed chunk load is tried again on the next save
    throw e;
  });
  return rules;
}

/**
 * The API's own tag rules (same zod schema), so the UI says no before a round trip. Rules
 * that cannot load leave the check to the API, whose message the row shows all the same.
 */
export async function tagsProblem(tags: string[]): Promise<string | null> {
  const schemas = await loadTagRules().catch(() => null);
  if (!schemas) return null;
  const r = schemas.tagsSchema.safeParse(tags);
  return r.success ? null : (r.error.issues[0]?.message ?? "Invalid tags");
}
