"use client";
import Link from "next/link";
import { MAX_COMPARE_ITEMS, MIN_COMPARE_ITEMS } from "@/lib/compare/schemas";

/** The bulk bar's Compare action: 2–4 selected jobs open /compare (oldest first, as the baseline). */
export function CompareAction({ jobs }: { jobs: { id: string; created_at: string | null }[] }) {
  const ok = jobs.length >= MIN_COMPARE_ITEMS && jobs.length <= MAX_COMPARE_ITEMS;
  if (!ok)
    return (
      <span className="muted small">
        Select {MIN_COMPARE_ITEMS}–{MAX_COMPARE_ITEMS} jobs to compare
      </span>
    );
  const ids = [...jobs].sort((a, b) => (a.created_at ?? "").localeCompare(b.created_at ?? "")).map((j) => j.id);
  return (
    <Link className="btn btn-sm btn-primary" href={`/compare?jobs=${ids.join(",")}`}>
      Compare
    </Link>
  );
}
