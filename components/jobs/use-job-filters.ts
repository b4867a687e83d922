"use client";
import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { jobFiltersToSearch, parseJobFilters, type JobFilters } from "@/lib/client/job-filters";

/**
 * Filter state read from and written to the URL (the single source of truth). Writes use the
 * History API, which Next.js syncs with useSearchParams without a server round trip; every
 * change is a history entry, so Back restores the previous filter.
 */
export function useJobFilters() {
  const params = useSearchParams();
  const pathname = usePathname();
  const filters = useMemo(() => parseJobFilters(params ?? new URLSearchParams()), [params]);
  const update = useCallback(
    (patch: Partial<JobFilters>) => {
      // Narrowing or re-sorting starts again at page 1; only paging keeps its page.
      const next = { ...filters, ...patch, page: patch.page ?? 1 };
      const qs = jobFiltersToSearch(next);
      window.history.pushState(null, "", qs ? `${pathname}?${qs}` : pathname);
    },
    [filters, pathname],
  );
  return { filters, update };
}
