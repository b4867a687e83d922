"use client";
import Link from "next/link";
import { useState } from "react";
import { apiFetch } from "@/lib/client/api-fetch";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { EmptyState, ErrorState, SkeletonRows } from "@/components/ui/states";
import { RelativeTime } from "@/components/ui/time";
import { useToast } from "@/components/ui/toast";
import { useCustomers } from "@/components/admin/use-admin";
import { CreateWebhookForm } from "./create-webhook-form";
import { useWebhookMutation, useWebhooks, type WebhookRow } from "./use-webhooks";

/** Customer admins: their customer's webhooks. Root admins: every customer's. */
export function WebhooksView({ root }: { root: boolean }) {
  const hooks = useWebhooks();
  const customers = useCustomers(root);
  const notify = useToast();
  const [removing, setRemoving] = useState<WebhookRow | null>(null);
  const test = useWebhookMutation((w: WebhookRow) => apiFetch(`/webhooks/${w.id}/test`, { method: "POST" }));
  const remove = useWebhookMutation((w: WebhookRow) => apiFetch(`/webhooks/${w.id}`, { method: "DELETE" }));

  return (
    <div className="stack">
      <CreateWebhookForm customers={root ? (customers.data?.results ?? []) : null} />
      <section className="section" aria-labelledby="webhooks-h">
        <h2 id="webhooks-h">Webhooks</h2>
        {hooks.isError ? (
          <ErrorState error={hooks.error} onRetry={() => hooks.refetch()} />
        ) : hooks.data?.results.length === 0 ? (
          <EmptyState title="No webhooks yet" />
        ) : (
          <div className="table-wrap">
            <table className="table" aria-label="Webhooks">
              <thead>
                <tr>
                  <th>URL</th>
                  {root && <th>Customer</th>}
                  <th>Events</th>
                  <th>Format</th>
                  <th>Deliveries</th>
                  <th>Created</th>
                  <th>Actions</th>
                </tr>
              </thead>
              <tbody>
                {!hooks.data ? (
                  <SkeletonRows columns={root ? 7 : 6} />
                ) : (
                  hooks.data.results.map((w) => (
                    <tr key={w.id} data-testid="webhook-row" data-url={w.url}>
                      <td className="mono" style={{ wordBreak: "break-all" }}>
                        {w.url}
                      </td>
                      {root && <td>{w.customer_name}</td>}
                      <td>{w.events.join(", ")}</td>
                      <td>{w.format === "slack" ? "Slack" : "JSON"}</td>
                      <td>
                        <div className="row" style={{ gap: 4 }}>
                          <Badge tone="success">{w.deliveries.succeeded} ok</Badge>
                          {w.deliveries.failed > 0 && <Badge tone="danger">{w.deliveries.failed} failed</Badge>}
                          {w.deliveries.pending > 0 && <Badge tone="warning">{w.deliveries.pending} pending</Badge>}
                        </div>
                      </td>
                      <td>
                        <RelativeTime iso={w.created_at} />
                      </td>
                      <td>
                        <div className="row" style={{ flexWrap: "nowrap" }}>
                          <Button
                            size="sm"
                            aria-label={`Send a test event to ${w.url}`}
                            loading={test.isPending && test.variables?.id === w.id}
                            onClick={() =>
                              test.mutate(w, {
                                onSuccess: () => notify({ kind: "success", title: `Test event queued for ${w.url}` }),
                                onError: (e) =>
                                  notify({ kind: "error", title: "Test refused", message: (e as Error).message }),
                              })
                            }
                          >
                            Test
                          </Button>
                          <Link
                            className="btn btn-sm"
                            href={`/webhooks/${w.id}`}
                            aria-label={`Delivery log of ${w.url}`}
                          >
                            Delivery log
                          </Link>
                          <Button
                            size="sm"
                            variant="danger"
                            onClick={() => setRemoving(w)}
                            aria-label={`Delete ${w.url}`}
                          >
                            Delete
                          </Button>
                        </div>
                      </td>
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <ConfirmDialog
        open={!!removing}
        title="Delete webhook?"
        message={
          <p>{removing?.url} stops receiving events, and its delivery log is deleted with it. This cannot be undone.</p>
        }
        confirmLabel="Delete webhook"
        danger
        pending={remove.isPending}
        onCancel={() => setRemoving(null)}
        onConfirm={() =>
          removing &&
          remove.mutate(removing, {
            onSuccess: () => notify({ kind: "success", title: `Deleted the webhook for ${removing.url}` }),
            onError: (e) => notify({ kind: "error", title: "Delete refused", message: (e as Error).message }),
            onSettled: () => setRemoving(null),
          })
        }
      />
    </div>
  );
}
