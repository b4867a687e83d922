"use client";
import type { JobDetail } from "@/lib/client/types";
import { quickmarkNodeAggregate } from "@/lib/results/quickmark";
import type { BenchmarkInfo, ClusterResult } from "./use-job";
import { GpuBandwidthHeatmap } from "./gpu-bandwidth-heatmap";
import { TableScroll } from "@/components/ui/table-scroll";

const fmt = (v: unknown) =>
  typeof v === "number"
    ? v.toLocaleString("en", { maximumFractionDigits: 3 })
    : v === null || v === undefined
      ? "—"
      : String(v);
const scalar = (v: unknown) => v === null || ["number", "string", "boolean"].includes(typeof v);

/**
 * Cluster-level results (GET /jobs/{id}/results) and each node's quick_mark figures — what the
 * agent reported, completed from its per-GPU rows (lib/results/quickmark.ts) — with each
 * node's GPU↔GPU bandwidth heatmap. Names come from the catalog and the unit has its own
 * column, so it is shown once.
 */
export function ResultsTables({
  job,
  results,
  benchmarks,
}: {
  job: JobDetail;
  results: Record<string, ClusterResult> | undefined;
  benchmarks: BenchmarkInfo[];
}) {
  const fieldOf = (bench: string, key: string) =>
    benchmarks.find((b) => b.id === bench)?.result_fields.find((f) => f.key === key);
  const clusterRows = Object.values(results ?? {}).flatMap((r) =>
    Object.entries(r.results ?? {})
      .filter(([, v]) => scalar(v))
      .map(([key, value]) => ({
        bench: r.benchmark_name,
        key,
        name: fieldOf(r.benchmark_id, key)?.display_name ?? key,
        unit: fieldOf(r.benchmark_id, key)?.unit ?? null,
        value,
      })),
  );
  const qm = benchmarks.find((b) => b.id === "quick_mark");
  const nodes = job.tasks.filter((t) => t.benchmark_results?.quick_mark);
  const nodeAggregates = new Map(
    nodes.map((t) => [t.id, quickmarkNodeAggregate(t.benchmark_results.quick_mark.results)]),
  );
  // The matrix is not a scalar: it has its own heatmap below.
  const nodeFields =
    qm?.result_fields.filter((f) => nodes.some((t) => typeof nodeAggregates.get(t.id)?.[f.key] === "number")) ?? [];
  return (
    <div className="stack">
      {clusterRows.length > 0 ? (
        <TableScroll label="Cluster results">
          <table className="table" aria-label="Cluster results" data-testid="results-table">
            <thead>
              <tr>
                <th>Benchmark</th>
                <th>Result</th>
                <th className="num">Value</th>
                <th>Unit</th>
              </tr>
            </thead>
            <tbody>
              {clusterRows.map((r) => (
                <tr key={`${r.bench}:${r.key}`}>
                  <td>{r.bench}</td>
                  <td>{r.name}</td>
                  <td className="num">{fmt(r.value)}</td>
                  <td className="muted">{r.unit ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      ) : (
        <p className="muted">Cluster results appear once every node has finished.</p>
      )}
      {qm && nodes.length > 0 && (
        <TableScroll label="QuickMark per node">
          <table className="table" aria-label="QuickMark per node" data-testid="node-results-table">
            <thead>
              <tr>
                <th>QuickMark (node total)</th>
                {nodes.map((t, i) => (
                  <th key={t.id} className="num" title={t.machine_uuid}>
                    #{i + 1} {t.machine_uuid.slice(0, 8)}
                  </th>
                ))}
                <th>Unit</th>
              </tr>
            </thead>
            <tbody>
              {nodeFields.map((f) => (
                <tr key={f.key}>
                  <td>{f.display_name}</td>
                  {nodes.map((t) => (
                    <td key={t.id} className="num">
                      {fmt(nodeAggregates.get(t.id)?.[f.key])}
                    </td>
                  ))}
                  <td className="muted">{f.unit ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {nodes.map((t, i) => (
        <GpuBandwidthHeatmap
          key={t.id}
          label={`#${i + 1} ${t.machine_uuid.slice(0, 8)}`}
          results={t.benchmark_results.quick_mark.results}
        />
      ))}
    </div>
  );
}
