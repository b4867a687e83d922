"use client";
import Link from "next/link";
import { MAX_COMPARE_ITEMS, MIN_COMPARE_ITEMS, oldestFirst } from "@/lib/compare/selection";

const NOUN = { jobs: "jobs", tasks: "nodes" } as const;

/**
 * Compare for a selection: 2–4 selected jobs (the jobs list) or nodes (a job page) open
 * /compare?jobs=… or ?tasks=…, oldest first, so the first is the baseline the others are
 * measured against.
 */
export function CompareAction({
  kind,
  items,
}: {
  kind: keyof typeof NOUN;
  items: { id: string; created_at: string | null }[];
}) {
  const ok = items.length >= MIN_COMPARE_ITEMS && items.length <= MAX_COMPARE_ITEMS;
  if (!ok)
    return (
      <span className="muted small">
        Select {MIN_COMPARE_ITEMS}–{MAX_COMPARE_ITEMS} {NOUN[kind]} to compare
      </span>
    );
  const ids = [...items].sort(oldestFirst).map((j) => j.id);
  return (
    <Link className="btn btn-sm btn-primary" href={`/compare?${kind}=${ids.join(",")}`}>
      Compare
    </Link>
  );
}
