/**
 * What the dashboard may send to GET /compare, without zod: the compare schema (./schemas.ts)
 * is built from these limits, and the Jobs page's compare button imports them from here so
 * that its first load carries no validation library.
 */
export const MIN_COMPARE_ITEMS = 2;
export const MAX_COMPARE_ITEMS = 4;

/**
 * Oldest first, ties by id: nodes that join together can share a creation time, and a
 * shared link must not depend on the order they were ticked in.
 */
export function oldestFirst(
  a: { id: string; created_at: string | null },
  b: { id: string; created_at: string | null },
) {
  const byTime = (a.created_at ?? "").localeCompare(b.created_at ?? "");
  return byTime || (BigInt(a.id) < BigInt(b.id) ? -1 : BigInt(a.id) > BigInt(b.id) ? 1 : 0);
}
