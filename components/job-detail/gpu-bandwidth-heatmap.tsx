"use client";
import { gpuBandwidthMatrix, type GpuLink } from "@/lib/results/quickmark";
import { TableScroll } from "@/components/ui/table-scroll";

const fmt = (v: number | null) => (v === null ? "—" : v.toLocaleString("en", { maximumFractionDigits: 1 }));

/**
 * One node's GPU↔GPU bandwidth (quick_mark gpu_bandwidth_matrix) as a heatmap: rows are source
 * GPUs, columns targets, the cell's shade its duplex bandwidth relative to the node's fastest
 * pair, so a slow link (a PCIe hop where NVLink was expected) stands out.
 */
export function GpuBandwidthHeatmap({ label, results }: { label: string; results: unknown }) {
  const links = gpuBandwidthMatrix(results);
  if (!links.length) return null;
  const gpus = [...new Set(links.flatMap((l) => [l.source_gpu, l.target_gpu]))].sort((a, b) => a - b);
  const cell = new Map<string, GpuLink>(links.map((l) => [`${l.source_gpu}:${l.target_gpu}`, l]));
  const max = Math.max(...links.map((l) => l.duplex_gbs ?? 0), 1);
  return (
    <figure className="card card-pad" style={{ margin: 0 }} data-testid="gpu-bandwidth-heatmap">
      <figcaption>
        <h3 style={{ margin: "0 0 8px", fontSize: 14 }}>GPU-to-GPU bandwidth — {label} (duplex, GB/s)</h3>
      </figcaption>
      <TableScroll label={`GPU-to-GPU bandwidth ${label}`}>
        <table className="table" aria-label={`GPU-to-GPU bandwidth ${label}`}>
          <thead>
            <tr>
              <th>Source ↓ / Target →</th>
              {gpus.map((g) => (
                <th key={g} className="num">
                  GPU {g}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {gpus.map((s) => (
              <tr key={s}>
                <th scope="row">GPU {s}</th>
                {gpus.map((t) => {
                  const l = cell.get(`${s}:${t}`);
                  const share = l?.duplex_gbs ? l.duplex_gbs / max : 0;
                  return (
                    <td
                      key={t}
                      className="num"
                      title={
                        l
                          ? `${fmt(l.duplex_gbs)} GB/s duplex, ${fmt(l.simplex_gbs)} GB/s simplex${l.connection_type ? `, ${l.connection_type}` : ""}`
                          : undefined
                      }
                      style={{
                        background: l
                          ? `color-mix(in srgb, var(--accent) ${Math.round(15 + share * 70)}%, transparent)`
                          : undefined,
                      }}
                    >
                      {l ? fmt(l.duplex_gbs) : s === t ? "·" : "—"}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </figure>
  );
}
