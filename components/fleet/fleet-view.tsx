"use client";
import Link from "next/link";
import { useState } from "react";
import { PerformanceBadge, StateBadge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState, ErrorState, SkeletonRows } from "@/components/ui/states";
import { RelativeTime } from "@/components/ui/time";
import { MACHINE_STATUSES, type MachineSortField } from "@/lib/fleet/schemas";
import { useMachines } from "./use-fleet";
import { AgentStatusBadge } from "./agent-status-badge";
import { HEALTH_STATES } from "@/lib/health/states";
import { HealthBadge, healthLabel } from "@/components/health/health-badge";
import { HealthActions } from "@/components/health/health-actions";

const STATUS_LABEL: Record<string, string> = {
  ok: "OK",
  underperforming: "Underperforming",
  regressed: "Regressed",
  unknown: "No data",
};

/** canManage: the caller may quarantine and clear machines (the permission table's manage_fleet). */
export function FleetView({ canManage = false }: { canManage?: boolean }) {
  const [filters, setFilters] = useState({
    page: 1,
    gpu_model: "",
    status: "",
    health_state: "",
    sort_by: "last_seen_at" as MachineSortField,
  });
  const q = useMachines(filters);
  const set = (k: "gpu_model" | "status" | "health_state" | "sort_by", v: string) =>
    setFilters((f) => ({ ...f, [k]: v, page: 1 }));
  // Each field sorts one way (newest first, problems first, A to Z): a header click picks it.
  const sortHeader = (field: MachineSortField, label: string) => {
    const active = filters.sort_by === field;
    return (
      <th aria-sort={active ? (field === "last_seen_at" ? "descending" : "ascending") : "none"}>
        <button
          type="button"
          className="sort-btn"
          data-active={active}
          aria-label={`Sort by ${label}${active ? ", current order" : ""}`}
          onClick={() => set("sort_by", field)}
        >
          {label}
          <span aria-hidden="true">{active ? (field === "last_seen_at" ? "↓" : "↑") : ""}</span>
        </button>
      </th>
    );
  };
  return (
    <div className="stack">
      <div className="row" role="group" aria-label="Filters">
        <label className="row">
          <span className="muted">GPU model</span>
          <select
            aria-label="Filter by GPU model"
            value={filters.gpu_model}
            onChange={(e) => set("gpu_model", e.target.value)}
          >
            <option value="">All</option>
            {(q.data?.gpu_models ?? []).map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <label className="row">
          <span className="muted">Status</span>
          <select
            aria-label="Filter by performance status"
            value={filters.status}
            onChange={(e) => set("status", e.target.value)}
          >
            <option value="">All</option>
            {MACHINE_STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABEL[s]}
              </option>
            ))}
          </select>
        </label>
        <label className="row">
          <span className="muted">Health</span>
          <select
            aria-label="Filter by health"
            value={filters.health_state}
            onChange={(e) => set("health_state", e.target.value)}
          >
            <option value="">All</option>
            {HEALTH_STATES.map((s) => (
              <option key={s} value={s}>
                {healthLabel(s)}
              </option>
            ))}
          </select>
        </label>
        <label className="row">
          <span className="muted">Sort</span>
          <select aria-label="Sort machines" value={filters.sort_by} onChange={(e) => set("sort_by", e.target.value)}>
            <option value="last_seen_at">Last seen</option>
            <option value="status">Problems first</option>
            <option value="hostname">Hostname</option>
          </select>
        </label>
        {q.data && <span className="muted">{q.data.pagination.total} machines</span>}
      </div>
      {q.isError ? (
        <ErrorState error={q.error} onRetry={() => q.refetch()} />
      ) : q.data && q.data.results.length === 0 ? (
        <EmptyState
          title={
            filters.gpu_model || filters.status || filters.health_state
              ? "No machine matches these filters"
              : "No machines yet"
          }
        >
          Machines appear here once an agent has run one of your jobs on them.
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table fleet-table" aria-label="Machines">
            <thead>
              <tr>
                {sortHeader("hostname", "Machine")}
                {sortHeader("status", "Performance")}
                <th>Health</th>
                <th>GPU</th>
                <th>Last job</th>
                {sortHeader("last_seen_at", "Last seen")}
                <th className="num">Jobs</th>
                <th>Customer</th>
                <th>
                  <span className="sr-only">History</span>
                </th>
                {canManage && (
                  <th>
                    <span className="sr-only">Health actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {!q.data ? (
                <SkeletonRows columns={canManage ? 10 : 9} />
              ) : (
                q.data.results.map((m) => (
                  <tr key={m.id} data-testid="machine-row">
                    <td className="machine-cell">
                      <Link href={`/fleet/${m.id}`} title={m.machine_uuid}>
                        {m.hostname ?? m.machine_uuid.slice(0, 13)}
                      </Link>
                      {m.hostname && (
                        <div className="muted small mono" title={m.machine_uuid}>
                          {m.machine_uuid.slice(0, 13)}
                        </div>
                      )}
                      <AgentStatusBadge agent={m.agent} />
                    </td>
                    <td>
                      <PerformanceBadge status={m.last_performance_status} />
                    </td>
                    <td data-testid="machine-health">
                      <HealthBadge state={m.health?.state ?? "healthy"} />
                    </td>
                    <td className="gpu-cell" title={`${m.gpu_model ?? "Unknown GPU"} × ${m.gpu_count}`}>
                      {m.gpu_model ?? "—"} × {m.gpu_count}
                    </td>
                    <td className="last-job-cell">
                      <div className="row" style={{ flexWrap: "nowrap" }}>
                        <StateBadge state={m.last_job.state} />
                        <Link href={`/jobs/${m.last_job.id}`} title={m.last_job.name}>
                          {m.last_job.name}
                        </Link>
                      </div>
                    </td>
                    <td>
                      <RelativeTime iso={m.last_seen_at} />
                    </td>
                    <td className="num">{m.job_count}</td>
                    <td>{m.customer}</td>
                    <td>
                      <Link
                        href={`/fleet/${m.id}`}
                        aria-label={`History of machine ${m.hostname ?? m.machine_uuid.slice(0, 8)}`}
                      >
                        History
                      </Link>
                    </td>
                    {canManage && (
                      <td>
                        <HealthActions
                          machine={{
                            id: m.id,
                            name: m.hostname ?? m.machine_uuid.slice(0, 13),
                            state: m.health?.state ?? "healthy",
                          }}
                        />
                      </td>
                    )}
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
      )}
      {q.data && q.data.pagination.total_pages > 1 && (
        <div className="row">
          <Button
            size="sm"
            disabled={!q.data.pagination.has_prev}
            onClick={() => setFilters((f) => ({ ...f, page: f.page - 1 }))}
          >
            Previous
          </Button>
          <span className="muted">
            Page {q.data.pagination.page} of {q.data.pagination.total_pages}
          </span>
          <Button
            size="sm"
            disabled={!q.data.pagination.has_next}
            onClick={() => setFilters((f) => ({ ...f, page: f.page + 1 }))}
          >
            Next
          </Button>
        </div>
      )}
    </div>
  );
}
