"use client";
import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/client/api-fetch";
import type { JobDetail } from "@/lib/client/types";
import { isLive } from "@/lib/jobs/states";
import type { getJobPerformance } from "@/lib/jobs/performance";
import type { benchmarkCatalog } from "@/lib/benchmarks/catalog";
import { queryKeys } from "@/lib/client/query-keys";

export type JobPerformanceResponse = Awaited<ReturnType<typeof getJobPerformance>>;
export type BenchmarkInfo = ReturnType<typeof benchmarkCatalog>[number];
export interface ClusterResult {
  benchmark_id: string;
  benchmark_name: string;
  state: string;
  results: Record<string, unknown>;
  display_names?: Record<string, string>;
}

const LIVE_REFRESH_MS = 2000;

/** The job; refetched every 2 s while it can still change, so a live job updates without reload. */
export function useJob(id: string) {
  return useQuery({
    queryKey: queryKeys.job.detail(id),
    queryFn: ({ signal }) => apiFetch<JobDetail>(`/jobs/${id}`, { signal }),
    refetchInterval: (q) => (isLive(q.state.data?.state) ? LIVE_REFRESH_MS : false),
  });
}

/** Results and performance change only when nodes report: keyed on the job's progress. */
export function useJobResults(id: string, version: string) {
  return useQuery({
    queryKey: queryKeys.job.results(id, version),
    queryFn: ({ signal }) => apiFetch<Record<string, ClusterResult>>(`/jobs/${id}/results`, { signal }),
    placeholderData: (prev) => prev,
  });
}

export function useJobPerformance(id: string, version: string) {
  return useQuery({
    queryKey: queryKeys.job.performance(id, version),
    queryFn: ({ signal }) => apiFetch<JobPerformanceResponse>(`/jobs/${id}/performance`, { signal }),
    placeholderData: (prev) => prev,
  });
}

export function useBenchmarks() {
  return useQuery({
    queryKey: queryKeys.benchmarks,
    queryFn: ({ signal }) => apiFetch<{ benchmarks: BenchmarkInfo[] }>(`/benchmarks`, { signal }),
    staleTime: Infinity,
  });
}
