"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Pagination } from "@/components/jobs/pagination";
import { PerformanceBadge, StateBadge } from "@/components/ui/badge";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import { RelativeTime } from "@/components/ui/time";
import { apiFetch } from "@/lib/client/api-fetch";
import type { JobListResponse, JobStatsResponse } from "@/lib/client/types";
import { formatPercent } from "./metric-labels";
import { NodeMetrics } from "./node-metrics";
import { queryKeys } from "@/lib/client/query-keys";

/**
 * The jobs behind the nav badge: GET /jobs/stats counts completed, underperforming jobs;
 * this lists exactly those (same state filter) with their underperforming nodes.
 */
const SCOPE = { state: "completed", performance_status: "underperforming" } as const;

export function PerformanceView() {
  const [page, setPage] = useState(1);
  const [perPage, setPerPage] = useState(20);
  const stats = useQuery({
    queryKey: queryKeys.jobs.stats,
    queryFn: ({ signal }) => apiFetch<JobStatsResponse>("/jobs/stats", { signal }),
    refetchInterval: 30_000,
  });
  const query = {
    ...SCOPE,
    include: "performance,performance_nodes",
    include_results: true,
    sort_by: "ended_at",
    sort_order: "desc",
    page,
    per_page: perPage,
  };
  const list = useQuery({
    queryKey: queryKeys.jobs.performance(query),
    queryFn: ({ signal }) => apiFetch<JobListResponse>("/jobs", { query, signal }),
    placeholderData: keepPreviousData,
    refetchInterval: 30_000,
  });
  const jobs = list.data?.results ?? [];
  const threshold = jobs.find((j) => j.performance?.threshold)?.performance?.threshold;
  const nodesUnder = jobs.reduce((n, j) => n + (j.performance?.nodes_underperforming ?? 0), 0);

  return (
    <>
      <div className="page-header">
        <div>
          <h1>Performance</h1>
          <p>
            Completed jobs with a node whose key metric (BF16/FP16 TFLOPS, memory bandwidth) fell below the threshold of
            its GPU model&apos;s reference.
          </p>
        </div>
      </div>
      <div className="summary-cards">
        <div className="card">
          <div className="value" data-testid="alert-job-count">
            {stats.data?.alert_job_count ?? "…"}
          </div>
          <div className="label">Underperforming jobs</div>
        </div>
        <div className="card">
          <div className="value">{list.data ? nodesUnder : "…"}</div>
          <div className="label">Underperforming nodes (this page)</div>
        </div>
        <div className="card">
          <div className="value">{threshold ? formatPercent(threshold) : "—"}</div>
          <div className="label">Threshold of reference</div>
        </div>
      </div>
      {list.isError && !list.data ? (
        <div className="card">
          <ErrorState error={list.error} onRetry={() => list.refetch()} title="Could not load performance alerts" />
        </div>
      ) : !list.data ? (
        <LoadingState label="Loading performance alerts…" />
      ) : jobs.length === 0 ? (
        <div className="card">
          <EmptyState title="No underperforming jobs">
            Every scored node of your completed jobs meets its reference.{" "}
          </EmptyState>
        </div>
      ) : (
        <>
          <div className="perf-list" aria-label="Underperforming jobs">
            {jobs.map((j) => {
              const badNodes = (j.performance_nodes ?? []).filter((n) => n.status === "underperforming");
              return (
                <article key={j.id} className="card perf-job" data-job-id={j.id} aria-labelledby={`perf-${j.id}`}>
                  <header>
                    <h2 id={`perf-${j.id}`}>
                      <Link href={`/jobs/${j.id}`}>{j.name}</Link>
                    </h2>
                    <StateBadge state={j.state} />
                    <PerformanceBadge status={j.performance?.status} />
                    <span className="meta">
                      {j.performance?.nodes_underperforming ?? badNodes.length} of{" "}
                      {j.performance?.nodes_total ?? j.node_count} nodes underperforming ·{" "}
                      {j.gpu_models?.join(", ") || "unknown GPU"} · ended <RelativeTime iso={j.ended_at} />
                    </span>
                  </header>
                  {badNodes.map((n) => (
                    <NodeMetrics key={n.task_id} node={n} />
                  ))}
                </article>
              );
            })}
          </div>
          <Pagination
            pagination={list.data.pagination}
            onPage={setPage}
            onPerPage={(n) => {
              setPerPage(n);
              setPage(1);
            }}
          />
        </>
      )}
    </>
  );
}
