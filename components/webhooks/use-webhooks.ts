"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/client/api-fetch";
import { queryKeys } from "@/lib/client/query-keys";
import type { DeliveryView, WebhookView } from "@/lib/webhooks/service";

export type WebhookRow = WebhookView & { deliveries: { succeeded: number; failed: number; pending: number } };

export function useWebhooks() {
  return useQuery({
    queryKey: queryKeys.webhooks.all,
    queryFn: ({ signal }) => apiFetch<{ results: WebhookRow[] }>("/webhooks", { signal }),
  });
}

/** The delivery log; refreshed every 2 s while a delivery is still on its way. */
export function useDeliveries(id: number) {
  return useQuery({
    queryKey: queryKeys.webhooks.deliveries(id),
    queryFn: ({ signal }) =>
      apiFetch<{ webhook: WebhookView; results: DeliveryView[] }>(`/webhooks/${id}/deliveries`, { signal }),
    refetchInterval: (q) =>
      q.state.data?.results.some((d) => d.state === "pending" || d.state === "sending") ? 2000 : false,
  });
}

/** A write that refreshes the webhooks and their delivery logs. */
export function useWebhookMutation<V, R = unknown>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: () => qc.invalidateQueries({ queryKey: queryKeys.webhooks.all }),
  });
}
