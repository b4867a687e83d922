"use client";
import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/client/api-fetch";
import type { CompareResponse } from "@/lib/compare/queries";

export function useCompare(query: { jobs?: string; tasks?: string }) {
  return useQuery({
    queryKey: ["compare", query],
    queryFn: ({ signal }) => apiFetch<CompareResponse>("/compare", { query, signal }),
  });
}
