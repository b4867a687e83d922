"use client";
import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/client/api-fetch";
import type { serializeCustomer, serializeUser } from "@/lib/users/serialize";
import { queryKeys } from "@/lib/client/query-keys";

export type AdminUser = ReturnType<typeof serializeUser>;
export type AdminCustomer = ReturnType<typeof serializeCustomer> & { user_count?: number; job_count?: number };

export function useUsers(filters: { q: string; customer_id: string }) {
  return useQuery({
    queryKey: queryKeys.users.list(filters),
    queryFn: ({ signal }) =>
      apiFetch<{ results: AdminUser[]; pagination: { total: number } }>("/users", {
        query: { ...filters, per_page: 300 },
        signal,
      }),
  });
}

export function useCustomers(enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.customers,
    queryFn: ({ signal }) => apiFetch<{ results: AdminCustomer[] }>("/customers", { signal }),
    enabled,
  });
}

/** What every admin write changes: the users and customers lists. */
export const ADMIN_LISTS = [queryKeys.users.all, queryKeys.customers] as const;
