"use client";
import { useQuery, keepPreviousData } from "@tanstack/react-query";
import { apiFetch } from "@/lib/client/api-fetch";
import type { getMachine, listMachines } from "@/lib/fleet/queries";
import { queryKeys } from "@/lib/client/query-keys";
import type { MachineSortField } from "@/lib/fleet/schemas";

export type MachineList = Awaited<ReturnType<typeof listMachines>>;
export type MachineDetail = Awaited<ReturnType<typeof getMachine>>;

export function useMachines(filters: {
  page: number;
  gpu_model: string;
  status: string;
  health_state: string;
  sort_by: MachineSortField;
}) {
  return useQuery({
    queryKey: queryKeys.machines.list(filters),
    queryFn: ({ signal }) => apiFetch<MachineList>("/machines", { query: { ...filters, per_page: 50 }, signal }),
    placeholderData: keepPreviousData,
  });
}

export function useMachine(id: string) {
  return useQuery({
    queryKey: queryKeys.machines.detail(id),
    queryFn: ({ signal }) => apiFetch<MachineDetail>(`/machines/${id}`, { query: { limit: 200 }, signal }),
  });
}
