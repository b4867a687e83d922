import { tagsSchema } from "@/lib/jobs/schemas";

/** The API's own tag rules (same zod schema), so the UI says no before a round trip. */
export function tagsProblem(tags: string[]): string | null {
  const r = tagsSchema.safeParse(tags);
  return r.success ? null : (r.error.issues[0]?.message ?? "Invalid tags");
}
