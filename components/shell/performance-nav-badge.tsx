"use client";
import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/client/api-fetch";
import type { JobStatsResponse } from "@/lib/client/types";
import { queryKeys } from "@/lib/client/query-keys";

/**
 * The Performance nav item's count: GET /jobs/stats alert_job_count (underperforming jobs),
 * refreshed every 30 s. Regressed jobs are not in it; the tooltip says so and gives their count.
 */
export function PerformanceNavBadge() {
  const { data } = useQuery({
    queryKey: queryKeys.jobs.stats,
    queryFn: ({ signal }) => apiFetch<JobStatsResponse>("/jobs/stats", { signal }),
    refetchInterval: 30_000,
  });
  if (!data) return null;
  const n = data.alert_job_count;
  const label = `${n} underperforming ${n === 1 ? "job" : "jobs"} (below the fleet threshold); ${data.regressed_job_count ?? 0} regressed against their own history, not counted`;
  return (
    <span
      className={`count-badge${n === 0 ? " zero" : ""}`}
      data-testid="performance-badge"
      aria-label={`${n} underperforming ${n === 1 ? "job" : "jobs"}`}
      title={label}
    >
      {n}
    </span>
  );
}
