"use client";
import { ratioShade } from "./shade";
import { useState } from "react";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/client/api-fetch";
import { queryKeys } from "@/lib/client/query-keys";
import { ErrorState, LoadingState } from "@/components/ui/states";
import { formatNumber } from "@/components/performance/metric-labels";
import type { fleetHeatmap } from "@/lib/fleet/heatmap";

type Heatmap = Awaited<ReturnType<typeof fleetHeatmap>>;
const LABELS: Record<string, string> = { bf16_tflops: "BF16", fp16_tflops: "FP16", memory_bandwidth_gbs: "Memory BW" };

/** Per GPU model, machines × key metrics coloured by ratio to the fleet median; sortable, each cell a link. */
export function FleetHeatmap() {
  const q = useQuery({
    queryKey: queryKeys.machines.heatmap,
    queryFn: ({ signal }) => apiFetch<Heatmap>("/machines/heatmap", { signal }),
  });
  const [sort, setSort] = useState<{ metric: string; dir: 1 | -1 } | null>(null);
  if (q.isError) return <ErrorState error={q.error} onRetry={() => q.refetch()} />;
  if (!q.data) return <LoadingState label="Loading heatmap…" />;
  const { metrics, gpu_models } = q.data;
  if (!gpu_models.length) return null;
  const toggle = (metric: string) =>
    setSort((s) => (s?.metric === metric ? { metric, dir: s.dir === 1 ? -1 : 1 } : { metric, dir: 1 }));
  return (
    <section className="section" aria-labelledby="heatmap-h" data-testid="fleet-heatmap">
      <h2 id="heatmap-h">Heatmap</h2>
      {gpu_models.map((g) => {
        const machines = sort
          ? [...g.machines].sort(
              (a, b) =>
                ((a.cells[sort.metric]?.ratio ?? Infinity) - (b.cells[sort.metric]?.ratio ?? Infinity)) * sort.dir,
            )
          : g.machines;
        return (
          <div key={g.gpu_model} className="table-wrap" data-gpu-model={g.gpu_model}>
            {g.machine_count > g.machines.length && (
              <p className="muted small">
                The {g.machines.length} machines seen most recently of {g.machine_count.toLocaleString("en")}; the list
                below has them all.
              </p>
            )}
            <table className="table" aria-label={`Heatmap ${g.gpu_model}`}>
              <thead>
                <tr>
                  <th>{g.gpu_model}</th>
                  {metrics.map((m) => (
                    <th
                      key={m}
                      className="num"
                      aria-sort={sort?.metric === m ? (sort.dir === 1 ? "ascending" : "descending") : "none"}
                    >
                      <button type="button" className="btn btn-ghost btn-sm" onClick={() => toggle(m)}>
                        {LABELS[m] ?? m} {sort?.metric === m ? (sort.dir === 1 ? "▲" : "▼") : ""}
                      </button>
                      <div className="muted small">
                        {g.reference[m]?.source === "fleet" ? "fleet median" : "vendor spec"}{" "}
                        {formatNumber(g.reference[m]?.value)}
                      </div>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {machines.map((row) => (
                  <tr key={row.id} data-machine={row.machine_uuid}>
                    <td className="mono small">
                      <Link href={`/fleet/${row.id}`}>{row.hostname ?? row.machine_uuid.slice(0, 13)}</Link>
                    </td>
                    {metrics.map((m) => {
                      const c = row.cells[m];
                      return (
                        <td
                          key={m}
                          className="num small"
                          style={{ background: ratioShade(c?.ratio, 0.1), padding: 0 }}
                          data-ratio={c?.ratio ?? ""}
                        >
                          <Link
                            href={`/fleet/${row.id}`}
                            style={{ display: "block", padding: "6px 10px", color: c ? "#111" : undefined }}
                          >
                            {c?.ratio != null ? `${Math.round(c.ratio * 1000) / 10} %` : "—"}
                          </Link>
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        );
      })}
    </section>
  );
}
