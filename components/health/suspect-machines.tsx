"use client";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/client/api-fetch";
import { queryKeys } from "@/lib/client/query-keys";
import type { MachineList } from "@/components/fleet/use-fleet";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import { RelativeTime } from "@/components/ui/time";
import { formatCost } from "./health-badge";

/**
 * Suspect machines (a confirmed bad verdict; docs/architecture.md, "Machine health") with what
 * their lost capacity costs per day at the customer's price per GPU-hour.
 */
export function SuspectMachines() {
  const q = useQuery({
    queryKey: queryKeys.machines.suspect,
    queryFn: ({ signal }) =>
      apiFetch<MachineList>("/machines", { query: { health_state: "suspect", per_page: 100 }, signal }),
    refetchInterval: 30_000,
  });
  const total = (q.data?.results ?? []).reduce((sum, m) => sum + (m.health?.capacity_lost_per_day ?? 0), 0);
  const priced = (q.data?.results ?? []).some((m) => m.health?.capacity_lost_per_day != null);
  return (
    <section className="section" aria-labelledby="suspect-h">
      <h2 id="suspect-h">Suspect machines</h2>
      <p className="muted small">
        Machines whose bad verdict a re-run confirmed. Capacity lost per day = (1 − ratio of the limiting metric) × GPUs
        × price per GPU-hour × 24.
      </p>
      {q.isError ? (
        <ErrorState error={q.error} onRetry={() => q.refetch()} />
      ) : !q.data ? (
        <LoadingState label="Loading suspect machines…" />
      ) : q.data.results.length === 0 ? (
        <EmptyState title="No suspect machines">
          A machine becomes suspect when a re-run confirms its bad verdict.
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table" aria-label="Suspect machines">
            <thead>
              <tr>
                <th>Machine</th>
                <th>GPU</th>
                <th>Suspect since</th>
                <th className="num">Capacity lost</th>
              </tr>
            </thead>
            <tbody>
              {q.data.results.map((m) => (
                <tr key={m.id} data-testid="suspect-row">
                  <td>
                    <Link href={`/fleet/${m.id}`}>{m.hostname ?? m.machine_uuid.slice(0, 13)}</Link>
                  </td>
                  <td>
                    {m.gpu_model ?? "—"} × {m.gpu_count}
                  </td>
                  <td>{m.health?.changed_at ? <RelativeTime iso={m.health.changed_at} /> : "—"}</td>
                  <td className="num" data-testid="capacity-lost">
                    {formatCost(m.health?.capacity_lost_per_day)}
                  </td>
                </tr>
              ))}
            </tbody>
            {priced && (
              <tfoot>
                <tr>
                  <td colSpan={3}>Total</td>
                  <td className="num">{formatCost(Math.round(total * 100) / 100)}</td>
                </tr>
              </tfoot>
            )}
          </table>
        </div>
      )}
    </section>
  );
}
