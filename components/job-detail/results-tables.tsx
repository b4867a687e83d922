"use client";
import type { JobDetail } from "@/lib/client/types";
import type { BenchmarkInfo, ClusterResult } from "./use-job";
import { TableScroll } from "@/components/ui/table-scroll";

const fmt = (v: unknown) => (typeof v === "number" ? v.toLocaleString("en", { maximumFractionDigits: 3 }) : v === null || v === undefined ? "—" : String(v));
const scalar = (v: unknown) => v === null || ["number", "string", "boolean"].includes(typeof v);

/** Cluster-level results (GET /jobs/{id}/results?include_display_names=true) and each node's quick_mark figures. */
export function ResultsTables({ job, results, benchmarks }: { job: JobDetail; results: Record<string, ClusterResult> | undefined; benchmarks: BenchmarkInfo[] }) {
  const unitOf = (bench: string, key: string) => benchmarks.find((b) => b.id === bench)?.result_fields.find((f) => f.key === key)?.unit ?? null;
  const clusterRows = Object.values(results ?? {}).flatMap((r) =>
    Object.entries(r.results ?? {})
      .filter(([, v]) => scalar(v))
      .map(([key, value]) => ({ bench: r.benchmark_name, key, name: r.display_names?.[key] ?? key, unit: unitOf(r.benchmark_id, key), value })),
  );
  const qm = benchmarks.find((b) => b.id === "quick_mark");
  const nodes = job.tasks.filter((t) => t.benchmark_results?.quick_mark);
  return (
    <div className="stack">
      {clusterRows.length > 0 ? (
        <TableScroll label="Cluster results">
          <table className="table" aria-label="Cluster results" data-testid="results-table">
            <thead><tr><th>Benchmark</th><th>Result</th><th className="num">Value</th><th>Unit</th></tr></thead>
            <tbody>
              {clusterRows.map((r) => (
                <tr key={`${r.bench}:${r.key}`}>
                  <td>{r.bench}</td><td>{r.name}</td><td className="num">{fmt(r.value)}</td><td className="muted">{r.unit ?? ""}</td>
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
              <tr><th>QuickMark (node total)</th>{nodes.map((t, i) => <th key={t.id} className="num" title={t.machine_uuid}>#{i + 1} {t.machine_uuid.slice(0, 8)}</th>)}<th>Unit</th></tr>
            </thead>
            <tbody>
              {qm.result_fields.map((f) => (
                <tr key={f.key}>
                  <td>{f.display_name}</td>
                  {nodes.map((t) => {
                    const agg = (t.benchmark_results.quick_mark.results as { aggregate_results?: Record<string, unknown> }).aggregate_results;
                    return <td key={t.id} className="num">{fmt(agg?.[f.key])}</td>;
                  })}
                  <td className="muted">{f.unit ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </div>
  );
}
