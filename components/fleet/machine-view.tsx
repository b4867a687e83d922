"use client";
import { NodeInventory } from "@/components/common/node-inventory";
import dynamic from "next/dynamic";
import Link from "next/link";
import { ApiClientError } from "@/lib/client/api-fetch";
import { PerformanceBadge, StateBadge } from "@/components/ui/badge";
import { AgentStatusBadge } from "./agent-status-badge";
import { ErrorState, LoadingState } from "@/components/ui/states";
import { RelativeTime } from "@/components/ui/time";
import { useMachine } from "./use-fleet";
import { MachineInsight } from "@/components/insight/machine-insight";
import { HealthBadge } from "@/components/health/health-badge";
import { MachineHealthPanel } from "@/components/health/machine-health-panel";

const MachineHistoryChart = dynamic(() => import("@/components/charts/machine-history-chart"), {
  ssr: false,
  loading: () => <LoadingState label="Loading chart…" />,
});

const ratio = (r: number | null | undefined) => (r == null ? "—" : `${Math.round(r * 100)}%`);

/** canManage: the caller may quarantine and clear machines (the permission table's manage_fleet). */
export function MachineView({ id, canManage = false }: { id: string; canManage?: boolean }) {
  const q = useMachine(id);
  if (q.isPending) return <LoadingState label="Loading machine…" />;
  if (q.isError) {
    const notFound = q.error instanceof ApiClientError && [400, 404].includes(q.error.status);
    return (
      <ErrorState
        title={notFound ? "Machine not found" : "Could not load the machine"}
        error={q.error}
        onRetry={notFound ? undefined : () => q.refetch()}
      />
    );
  }
  const m = q.data;
  return (
    <>
      <div className="page-header">
        <div style={{ minWidth: 0 }}>
          <p style={{ margin: "0 0 4px" }}>
            <Link href="/fleet">← Fleet</Link>
          </p>
          <div className="row">
            <h1
              className={m.hostname ? undefined : "mono"}
              style={m.hostname ? undefined : { fontSize: 17, overflowWrap: "anywhere" }}
            >
              {m.hostname ?? m.machine_uuid}
            </h1>
            <PerformanceBadge status={m.last_performance_status} />
            <AgentStatusBadge agent={m.agent} />
            <HealthBadge state={m.health.state} />
          </div>
          {m.hostname && (
            <p className="mono small" style={{ overflowWrap: "anywhere" }} data-testid="machine-uuid">
              {m.machine_uuid}
            </p>
          )}
          <p>
            {m.gpu_model ?? "Unknown GPU"} × {m.gpu_count} · {m.customer}
          </p>
        </div>
      </div>
      <dl className="card card-pad detail-grid" style={{ margin: 0 }}>
        <div>
          <dt>First seen</dt>
          <dd>
            <RelativeTime iso={m.first_seen_at} />
          </dd>
        </div>
        <div>
          <dt>Last seen</dt>
          <dd>
            <RelativeTime iso={m.last_seen_at} />
          </dd>
        </div>
        <div>
          <dt>Last job</dt>
          <dd>
            <Link href={`/jobs/${m.last_job.id}`}>{m.last_job.name}</Link>
          </dd>
        </div>
        <div>
          <dt>Runs</dt>
          <dd>{m.history.length}</dd>
        </div>
      </dl>
      <MachineHealthPanel machine={m} canManage={canManage} />
      <section className="section" aria-labelledby="hardware-h">
        <h2 id="hardware-h">Hardware</h2>
        <div className="card card-pad">
          <NodeInventory inventory={m.inventory} label={m.machine_uuid} />
        </div>
      </section>
      <MachineInsight machine={m} />
      <section className="section" aria-labelledby="history-h">
        <h2 id="history-h">History</h2>
        <MachineHistoryChart history={m.history} />
        <div className="table-wrap">
          <table className="table" aria-label="Runs">
            <thead>
              <tr>
                <th>Date</th>
                <th>Job</th>
                <th>State</th>
                <th>Performance</th>
                <th className="num">BF16</th>
                <th className="num">FP16</th>
                <th className="num">Memory BW</th>
                <th className="num">Worst ratio</th>
              </tr>
            </thead>
            <tbody>
              {[...m.history].reverse().map((h) => (
                <tr key={h.task_id} data-testid="history-row">
                  <td>
                    <RelativeTime iso={h.date} />
                  </td>
                  <td>
                    <Link href={`/jobs/${h.job_id}`}>{h.job_name}</Link>
                  </td>
                  <td>
                    <StateBadge state={h.job_state} />
                  </td>
                  <td>
                    <PerformanceBadge status={h.performance_status} />
                  </td>
                  <td className="num">{h.metrics.bf16_tflops ? `${h.metrics.bf16_tflops.value} TFLOPS` : "—"}</td>
                  <td className="num">{h.metrics.fp16_tflops ? `${h.metrics.fp16_tflops.value} TFLOPS` : "—"}</td>
                  <td className="num">
                    {h.metrics.memory_bandwidth_gbs ? `${h.metrics.memory_bandwidth_gbs.value} GB/s` : "—"}
                  </td>
                  <td className="num">{ratio(h.performance_ratio)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
