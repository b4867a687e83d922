"use client";
import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/client/api-fetch";
import { queryKeys } from "@/lib/client/query-keys";
import type { CompareResponse } from "@/lib/compare/queries";

export function useCompare(query: { jobs?: string; tasks?: string }) {
  return useQuery({
    queryKey: queryKeys.compare(query),
    queryFn: ({ signal }) => apiFetch<CompareResponse>("/compare", { query, signal }),
  });
}
