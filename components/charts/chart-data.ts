import type { JobPerformanceResponse } from "@/components/job-detail/use-job";

/** Pure shaping of API payloads into chart rows (kept apart from recharts for reading and testing). */

export const nodeLabel = (uuid: string, index: number) => `#${index + 1} ${uuid.slice(0, 8)}`;

/** One row per node: its per-GPU value of `metric` and the reference for its GPU model. */
export function metricVsReferenceRows(perf: JobPerformanceResponse | undefined, metric: string) {
  return (perf?.nodes ?? [])
    .map((n, i) => {
      const m = (n as { metrics?: Record<string, { value: number; reference: number | null; ratio: number | null }> })
        .metrics?.[metric];
      return m ? { node: nodeLabel(n.machine_uuid, i), value: m.value, reference: m.reference, ratio: m.ratio } : null;
    })
    .filter((r): r is NonNullable<typeof r> => r !== null);
}

/** Metrics present in any node's performance, in catalog order. */
export function scoredMetrics(perf: JobPerformanceResponse | undefined, order: string[]): string[] {
  const present = new Set<string>();
  for (const n of perf?.nodes ?? [])
    for (const k of Object.keys((n as { metrics?: object }).metrics ?? {})) present.add(k);
  return order.filter((k) => present.has(k));
}

export interface LinkRow {
  link: string;
  bandwidth_gbps: number;
  latency_us: number;
}

export function linkRows(clusterNetwork: Record<string, unknown> | undefined): LinkRow[] {
  const ms = Array.isArray(clusterNetwork?.measurements)
    ? (clusterNetwork.measurements as Record<string, unknown>[])
    : [];
  return ms
    .filter((m) => typeof m.bandwidth_gbps === "number")
    .map((m) => ({
      link: `${m.source}→${m.target}`,
      bandwidth_gbps: m.bandwidth_gbps as number,
      latency_us: Number(m.latency_us ?? 0),
    }));
}
