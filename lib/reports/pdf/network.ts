import type { BenchmarkResult } from "../../generated/prisma/client";
import { formatNumber } from "../format";
import { paragraph, table, type Doc } from "./document";
import { valueChart } from "./charts";

interface Link {
  source: string;
  target: string;
  bandwidth_gbps: number;
  latency_us: number;
}

const MAX_LINK_ROWS = 40;
const MAX_NODE_BARS = 64;

function linksOf(result: BenchmarkResult): Link[] {
  const m = (result.results as { measurements?: unknown } | null)?.measurements;
  return Array.isArray(m) ? (m as Link[]).filter((l) => l && typeof l.bandwidth_gbps === "number") : [];
}

/**
 * cluster_network: mean outgoing bandwidth per node as a chart (the mesh itself has n² links,
 * too many to draw), then the slowest links, where a bad cable or NIC shows first.
 */
export function clusterNetworkDetail(
  doc: Doc,
  result: BenchmarkResult,
  title = "Cluster network bandwidth by source node",
): void {
  const links = linksOf(result);
  if (!links.length) return;
  const bySource = new Map<string, number[]>();
  for (const l of links) bySource.set(l.source, [...(bySource.get(l.source) ?? []), l.bandwidth_gbps]);
  const bars = [...bySource.entries()].map(([label, v]) => {
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    return { label, value: mean, caption: `${formatNumber(mean)} Gbps avg, min ${formatNumber(Math.min(...v))}` };
  });
  valueChart(doc, title, bars.slice(0, MAX_NODE_BARS), "mean bandwidth of outgoing links, Gbps");
  if (bars.length > MAX_NODE_BARS)
    paragraph(doc, `${bars.length - MAX_NODE_BARS} more nodes are in the results archive.`);
  const slowest = [...links].sort((a, b) => a.bandwidth_gbps - b.bandwidth_gbps).slice(0, MAX_LINK_ROWS);
  table(
    doc,
    [
      { header: "Source", width: 0.3 },
      { header: "Target", width: 0.3 },
      { header: "Bandwidth (Gbps)", width: 0.2, align: "right" },
      { header: "Latency (µs)", width: 0.2, align: "right" },
    ],
    slowest.map((l) => [l.source, l.target, formatNumber(l.bandwidth_gbps), formatNumber(l.latency_us)]),
  );
  if (links.length > slowest.length)
    paragraph(doc, `The ${slowest.length} slowest of ${links.length} links; all are in the results archive.`);
}
