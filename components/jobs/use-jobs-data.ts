"use client";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/client/api-fetch";
import type { JobListApiQuery } from "@/lib/client/job-filters";
import type { JobListItem, JobListResponse, JobTagsResponse } from "@/lib/client/types";
import { isLive } from "@/lib/jobs/states";
import { queryKeys } from "@/lib/client/query-keys";

const LIVE_REFRESH_MS = 5_000;

/**
 * The Jobs table's data; polls while any listed job is live — created ones included: a job
 * waiting for its nodes is the one whose owner watches for it to start.
 */
export function useJobList(query: JobListApiQuery, initial?: { query: string; data: JobListResponse }) {
  return useQuery({
    queryKey: queryKeys.jobs.list(query),
    queryFn: ({ signal }) => apiFetch<JobListResponse>("/jobs", { query, signal }),
    initialData: initial && initial.query === JSON.stringify(query) ? initial.data : undefined,
    placeholderData: keepPreviousData,
    refetchInterval: (q) => (q.state.data?.results.some((j) => isLive(j.state)) ? LIVE_REFRESH_MS : false),
  });
}

export function useJobTags() {
  return useQuery({
    queryKey: queryKeys.jobs.tags,
    queryFn: ({ signal }) => apiFetch<JobTagsResponse>("/jobs/tags", { signal }),
    staleTime: 60_000,
  });
}

/** PATCH /jobs/{id} {tags}; afterwards every jobs query (list, tags, stats) is refreshed. */
export function useSetJobTags() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, tags }: { id: string; tags: string[] }) =>
      apiFetch<JobListItem>(`/jobs/${id}`, { method: "PATCH", body: { tags } }),
    onSettled: () => qc.invalidateQueries({ queryKey: queryKeys.jobs.all }),
  });
}
