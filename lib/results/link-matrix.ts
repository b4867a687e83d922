import { median } from "../performance/robust";

/** One measured link of a cluster_network result (what every node reports per peer). */
export interface LinkMeasurement {
  source: string;
  target: string;
  bandwidth_gbps: number | null;
  latency_us: number | null;
}

export interface LinkMatrix {
  nodes: string[];
  /** cells[i][j]: the link from nodes[i] to nodes[j], null on the diagonal and where unmeasured. */
  cells: (LinkMeasurement | null)[][];
  median_bandwidth_gbps: number | null;
  median_latency_us: number | null;
  /** The slowest links by bandwidth, slowest first, each with its ratio to the median link. */
  slowest_links: (LinkMeasurement & { ratio: number })[];
  /** Nodes whose links (either direction) are slowest, by their median link's ratio to the fleet of links. */
  slowest_nodes: { node: string; ratio: number }[];
}

const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** Reads `measurements[]` defensively: agents send what they measured, not always every field. */
export function readMeasurements(results: unknown): LinkMeasurement[] {
  const list = (results as { measurements?: unknown } | null)?.measurements;
  if (!Array.isArray(list)) return [];
  return list
    .filter(
      (m): m is Record<string, unknown> =>
        !!m && typeof m === "object" && typeof m.source === "string" && typeof m.target === "string",
    )
    .map((m) => ({
      source: m.source as string,
      target: m.target as string,
      bandwidth_gbps: num(m.bandwidth_gbps),
      latency_us: num(m.latency_us),
    }));
}

/**
 * The node × node matrix of a cluster_network run with its stragglers called out: a slow
 * link drags every collective through it, and a node whose every link is slow is the cause.
 */
export function linkMatrix(measurements: LinkMeasurement[], top = 3): LinkMatrix {
  const nodes = [...new Set(measurements.flatMap((m) => [m.source, m.target]))].sort((a, b) =>
    a.localeCompare(b, "en", { numeric: true }),
  );
  const index = new Map(nodes.map((n, i) => [n, i]));
  const cells: (LinkMeasurement | null)[][] = nodes.map(() => nodes.map(() => null));
  for (const m of measurements) cells[index.get(m.source)!][index.get(m.target)!] = m;
  const bandwidths = measurements.map((m) => m.bandwidth_gbps).filter((v): v is number => v !== null);
  const latencies = measurements.map((m) => m.latency_us).filter((v): v is number => v !== null);
  const mid = bandwidths.length ? median(bandwidths) : null;
  const slowest_links = mid
    ? measurements
        .filter((m) => m.bandwidth_gbps !== null)
        .sort((a, b) => a.bandwidth_gbps! - b.bandwidth_gbps!)
        .slice(0, top)
        .map((m) => ({ ...m, ratio: Math.round((m.bandwidth_gbps! / mid) * 1000) / 1000 }))
    : [];
  const slowest_nodes = mid
    ? nodes
        .map((node) => {
          const own = measurements
            .filter((m) => (m.source === node || m.target === node) && m.bandwidth_gbps !== null)
            .map((m) => m.bandwidth_gbps!);
          return { node, ratio: own.length ? Math.round((median(own) / mid) * 1000) / 1000 : 1 };
        })
        .sort((a, b) => a.ratio - b.ratio)
        .slice(0, Math.min(top, nodes.length))
    : [];
  return {
    nodes,
    cells,
    median_bandwidth_gbps: mid,
    median_latency_us: latencies.length ? median(latencies) : null,
    slowest_links,
    slowest_nodes,
  };
}
