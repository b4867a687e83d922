"use client";
import { useMutation, useQueryClient, type QueryKey } from "@tanstack/react-query";
import type { useToast } from "@/components/ui/toast";

export interface RefreshingMutationOptions<V> {
  /** Query-key prefixes (lib/client/query-keys.ts) of what the write changes: refreshed after it. */
  refresh: readonly QueryKey[];
  notify: ReturnType<typeof useToast>;
  /** The success toast's title. */
  success: (v: V) => string;
  /** The error toast's title; omit it where the form shows the error beside its fields. */
  failure?: string;
}

/** A dashboard write: it refreshes the lists it changed and says how it went as a toast. */
export function useRefreshingMutation<V, R = unknown>(
  fn: (v: V) => Promise<R>,
  { refresh, notify, success, failure }: RefreshingMutationOptions<V>,
) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (_d, v) => {
      notify({ kind: "success", title: success(v) });
      for (const queryKey of refresh) qc.invalidateQueries({ queryKey });
    },
    onError: failure ? (err) => notify({ kind: "error", title: failure, message: (err as Error).message }) : undefined,
  });
}
