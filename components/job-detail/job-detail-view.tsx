"use client";
import dynamic from "next/dynamic";
import Link from "next/link";
import { ApiClientError } from "@/lib/client/api-fetch";
import { PerformanceBadge, StateBadge } from "@/components/ui/badge";
import { VerdictNotes } from "@/components/insight/verdict-notes";
import { StragglerMatrix } from "@/components/insight/straggler-matrix";
import { ErrorState, LoadingState } from "@/components/ui/states";
import { RelativeTime } from "@/components/ui/time";
import { useNow } from "@/components/ui/browser-state";
import { AgentCommands } from "@/components/common/agent-commands";
import { isLive } from "@/lib/jobs/states";
import { useBenchmarks, useJob, useJobPerformance, useJobResults } from "./use-job";
import { NodesTable } from "./nodes-table";
import { ResultsTables } from "./results-tables";
import { JobLogs } from "./job-logs";
import { JobActions } from "./job-actions";

// recharts stays out of every other page's bundle.
const JobCharts = dynamic(() => import("@/components/charts/job-charts"), {
  ssr: false,
  loading: () => <LoadingState label="Loading charts…" />,
});

export function JobDetailView({ id, agentSha256 }: { id: string; agentSha256: string | null }) {
  const job = useJob(id);
  const data = job.data;
  // Results and performance are refetched only when a node reports something new.
  const version = data
    ? `${data.state}:${data.tasks.map((t) => `${t.state}${Object.keys(t.benchmark_results ?? {}).length}`).join(",")}`
    : "";
  const results = useJobResults(id, version);
  const perf = useJobPerformance(id, version);
  const benchmarks = useBenchmarks();
  const now = useNow();

  if (job.isPending) return <LoadingState label="Loading job…" />;
  if (job.isError) {
    const notFound = job.error instanceof ApiClientError && (job.error.status === 404 || job.error.status === 400);
    return (
      <ErrorState
        title={notFound ? "Job not found" : "Could not load the job"}
        error={job.error}
        onRetry={notFound ? undefined : () => job.refetch()}
      />
    );
  }
  const j = job.data;
  const live = isLive(j.state);
  const catalog = benchmarks.data?.benchmarks ?? [];
  // Benchmarks without a bespoke chart get one bar per node of a chosen result field.
  const others = catalog
    .filter((b) => b.id !== "quick_mark" && b.id !== "cluster_network")
    .map((b) => ({
      benchmark: b,
      nodes: j.tasks.flatMap((t, i) =>
        t.benchmark_results?.[b.id]
          ? [
              {
                node: `#${i + 1} ${t.machine_uuid.slice(0, 8)}`,
                results: t.benchmark_results[b.id].results as Record<string, unknown>,
              },
            ]
          : [],
      ),
    }))
    .filter((o) => o.nodes.length > 0);
  return (
    <>
      <div className="page-header">
        <div style={{ minWidth: 0 }}>
          <p style={{ margin: "0 0 4px" }}>
            <Link href="/jobs">← Jobs</Link>
          </p>
          <div className="row">
            <h1 style={{ overflowWrap: "anywhere" }}>{j.name}</h1>
            <StateBadge state={j.state} />
            {perf.data && perf.data.status !== "unknown" && <PerformanceBadge status={perf.data.status} />}
          </div>
          {j.description && <p>{j.description}</p>}
        </div>
        <JobActions job={j} />
      </div>

      <dl className="card card-pad detail-grid" style={{ margin: 0 }}>
        <div>
          <dt>Job id</dt>
          <dd className="mono">{j.id}</dd>
        </div>
        <div>
          <dt>Nodes</dt>
          <dd>
            {j.current_nodes} / {j.node_count}
          </dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>
            <RelativeTime iso={j.created_at} />
          </dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>
            <RelativeTime iso={j.started_at} />
          </dd>
        </div>
        <div>
          <dt>Ended</dt>
          <dd>
            <RelativeTime iso={j.ended_at} />
          </dd>
        </div>
        <div>
          <dt>{now !== null && new Date(j.expires_at ?? 0).getTime() <= now ? "Token expired" : "Token expires"}</dt>
          <dd>
            <RelativeTime iso={j.expires_at} />
          </dd>
        </div>
        <div>
          <dt>Benchmarks</dt>
          <dd>{j.benchmarks.join(", ")}</dd>
        </div>
        <div>
          <dt>Tags</dt>
          <dd>
            {j.tags.length ? (
              j.tags.map((t) => (
                <span key={t} className="tag" style={{ marginRight: 4 }}>
                  {t}
                </span>
              ))
            ) : (
              <span className="muted">—</span>
            )}
          </dd>
        </div>
      </dl>
      {j.failed_message && (
        <div
          className="card card-pad"
          role="alert"
          style={{ marginTop: 12, borderColor: "var(--danger)", color: "var(--danger)" }}
        >
          {j.failed_message}
        </div>
      )}

      {live ? (
        <section className="section" aria-labelledby="agent-h">
          <h2 id="agent-h">Run the agent</h2>
          <div className="card card-pad">
            <AgentCommands token={j.token} nodeCount={j.node_count} agentSha256={agentSha256} />
          </div>
        </section>
      ) : (
        <details className="card" style={{ marginTop: 20 }}>
          <summary>Job token and agent commands</summary>
          <div className="body">
            <AgentCommands token={j.token} nodeCount={j.node_count} agentSha256={agentSha256} />
          </div>
        </details>
      )}

      <section className="section" aria-labelledby="nodes-h">
        <h2 id="nodes-h">Nodes</h2>
        <NodesTable job={j} />
      </section>

      <section className="section" aria-labelledby="charts-h">
        <h2 id="charts-h">Benchmark results</h2>
        <VerdictNotes nodes={perf.data?.nodes} />
        <StragglerMatrix results={results.data?.cluster_network?.results} />
        {perf.isError ? (
          <ErrorState error={perf.error} onRetry={() => perf.refetch()} />
        ) : (
          <JobCharts
            perf={perf.data}
            clusterNetwork={results.data?.cluster_network?.results}
            quickmark={catalog.find((b) => b.id === "quick_mark")}
            others={others}
          />
        )}
      </section>

      <section className="section" aria-labelledby="results-h">
        <h2 id="results-h">Raw results</h2>
        {results.isError ? (
          <ErrorState error={results.error} onRetry={() => results.refetch()} />
        ) : (
          <ResultsTables job={j} results={results.data} benchmarks={catalog} />
        )}
      </section>

      <section className="section" aria-labelledby="logs-h">
        <h2 id="logs-h">Logs</h2>
        <JobLogs jobId={j.id} live={live} />
      </section>
    </>
  );
}
