"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/client/api-fetch";
import type { serializeCustomer, serializeUser } from "@/lib/users/serialize";
import type { useToast } from "@/components/ui/toast";
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

/** A write that refreshes users and customers and reports its outcome as a toast. */
export function useAdminMutation<V>(
  fn: (v: V) => Promise<unknown>,
  notify: ReturnType<typeof useToast>,
  success: (v: V) => string,
) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (_d, v) => {
      notify({ kind: "success", title: success(v) });
      qc.invalidateQueries({ queryKey: queryKeys.users.all });
      qc.invalidateQueries({ queryKey: queryKeys.customers });
    },
  });
}
