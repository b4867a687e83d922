"use client";
import { apiFetch } from "@/lib/client/api-fetch";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import { RelativeTime } from "@/components/ui/time";
import { useToast } from "@/components/ui/toast";
import type { DeliveryView } from "@/lib/webhooks/service";
import { DELIVERY_TONE } from "./labels";
import { useDeliveries, useWebhookMutation } from "./use-webhooks";

/** One webhook's latest deliveries, each with its attempts, and a redeliver button. */
export function DeliveryLog({ webhookId }: { webhookId: number }) {
  const log = useDeliveries(webhookId);
  const notify = useToast();
  const redeliver = useWebhookMutation((d: DeliveryView) =>
    apiFetch(`/webhooks/${webhookId}/deliveries/${d.id}/redeliver`, { method: "POST" }),
  );
  if (log.isError) return <ErrorState error={log.error} onRetry={() => log.refetch()} />;
  if (!log.data) return <LoadingState label="Loading deliveries…" />;
  return (
    <div className="stack">
      <p className="mono" style={{ wordBreak: "break-all" }}>
        {log.data.webhook.url} · {log.data.webhook.events.join(", ")}
      </p>
      {log.data.results.length === 0 ? (
        <EmptyState title="No deliveries yet" />
      ) : (
        <div className="table-wrap">
          <table className="table" aria-label="Deliveries">
            <thead>
              <tr>
                <th>Event</th>
                <th>State</th>
                <th>Status</th>
                <th>Latency</th>
                <th>Attempts</th>
                <th>Last error</th>
                <th>Created</th>
                <th>Last attempt</th>
                <th>Actions</th>
              </tr>
            </thead>
            <tbody>
              {log.data.results.map((d) => (
                <tr key={d.id} data-testid="delivery-row" data-delivery-id={d.id}>
                  <td>
                    <code>{d.event_type}</code>
                    <div className="muted">event {d.event_id}</div>
                  </td>
                  <td>
                    <Badge tone={DELIVERY_TONE[d.state as keyof typeof DELIVERY_TONE] ?? "neutral"}>{d.state}</Badge>
                  </td>
                  <td data-testid="delivery-status">{d.last_status_code ?? "—"}</td>
                  <td>{d.last_latency_ms === null ? "—" : `${d.last_latency_ms} ms`}</td>
                  <td data-testid="delivery-attempts">
                    {d.attempt_log.length > 0 ? (
                      <details>
                        <summary>{d.attempts}</summary>
                        <ol>
                          {d.attempt_log.map((a, i) => (
                            <li key={i}>
                              <RelativeTime iso={a.at} /> · {a.status_code ?? "no answer"} · {a.latency_ms} ms
                              {a.error && <span className="muted"> · {a.error}</span>}
                            </li>
                          ))}
                        </ol>
                      </details>
                    ) : (
                      d.attempts
                    )}
                  </td>
                  <td style={{ maxWidth: 320, wordBreak: "break-word" }}>{d.last_error ?? "—"}</td>
                  <td>
                    <RelativeTime iso={d.created_at} />
                  </td>
                  <td>
                    <RelativeTime iso={d.last_attempt_at} />
                  </td>
                  <td>
                    <Button
                      size="sm"
                      disabled={d.state === "sending"}
                      loading={redeliver.isPending && redeliver.variables?.id === d.id}
                      aria-label={`Redeliver ${d.event_type} delivery ${d.id}`}
                      onClick={() =>
                        redeliver.mutate(d, {
                          onSuccess: () => notify({ kind: "success", title: `Delivery ${d.id} queued again` }),
                          onError: (e) =>
                            notify({ kind: "error", title: "Redelivery refused", message: (e as Error).message }),
                        })
                      }
                    >
                      Redeliver
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
