"use client";
import { ratioShade } from "./shade";
import { useState } from "react";
import { linkMatrix, readMeasurements } from "@/lib/results/link-matrix";
import { TableScroll } from "@/components/ui/table-scroll";

/** cluster_network's node × node bandwidth (or latency) as a heatmap, stragglers called out. */
export function StragglerMatrix({ results }: { results: unknown }) {
  const [view, setView] = useState<"bandwidth" | "latency">("bandwidth");
  const m = linkMatrix(readMeasurements(results));
  if (m.nodes.length < 2) return null;
  const ratioOf = (cell: (typeof m.cells)[number][number]) => {
    if (!cell) return null;
    if (view === "bandwidth")
      return cell.bandwidth_gbps !== null && m.median_bandwidth_gbps
        ? cell.bandwidth_gbps / m.median_bandwidth_gbps
        : null;
    return cell.latency_us !== null && m.median_latency_us ? m.median_latency_us / cell.latency_us : null;
  };
  return (
    <div className="stack" data-testid="straggler-matrix">
      <div className="row">
        <h3>Links, node × node</h3>
        <label className="row small">
          Show{" "}
          <select
            aria-label="Link matrix metric"
            value={view}
            onChange={(e) => setView(e.target.value as "bandwidth" | "latency")}
          >
            <option value="bandwidth">bandwidth (Gbps)</option>
            <option value="latency">latency (µs)</option>
          </select>
        </label>
      </div>
      <p className="small" data-testid="stragglers">
        Slowest node: <strong className="mono">{m.slowest_nodes[0]?.node}</strong> (
        {Math.round((m.slowest_nodes[0]?.ratio ?? 1) * 100)} % of the median link). Slowest links:{" "}
        {m.slowest_links
          .map((l) => `${l.source} → ${l.target} ${l.bandwidth_gbps} Gbps (${Math.round(l.ratio * 100)} %)`)
          .join("; ")}
      </p>
      <TableScroll label="Link matrix">
        <table className="table" aria-label="Link matrix">
          <thead>
            <tr>
              <th>from \ to</th>
              {m.nodes.map((n) => (
                <th key={n} className="mono small">
                  {n}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {m.nodes.map((src, i) => (
              <tr key={src}>
                <th className="mono small">{src}</th>
                {m.cells[i].map((cell, j) => (
                  <td
                    key={j}
                    className="num small"
                    style={{ background: ratioShade(ratioOf(cell), 0.5), color: cell ? "#111" : undefined }}
                    title={cell ? `${src} → ${m.nodes[j]}` : undefined}
                  >
                    {cell ? (view === "bandwidth" ? (cell.bandwidth_gbps ?? "—") : (cell.latency_us ?? "—")) : ""}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </div>
  );
}
