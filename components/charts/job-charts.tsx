"use client";
import { useState } from "react";
import type { BenchmarkInfo, JobPerformanceResponse } from "@/components/job-detail/use-job";
import { useThemeColors, type ThemeColors } from "./theme-colors";
import { linkRows, metricVsReferenceRows, scoredMetrics } from "./chart-data";
import { BarFigure } from "./bar-figure";

export interface NodeFigures {
  node: string;
  results: Record<string, unknown>;
}

/**
 * The job's benchmark charts. This module pulls in recharts, so pages load it with
 * next/dynamic and the jobs list never ships it.
 */
export default function JobCharts({
  perf,
  clusterNetwork,
  quickmark,
  others = [],
}: {
  perf: JobPerformanceResponse | undefined;
  clusterNetwork: Record<string, unknown> | undefined;
  quickmark: BenchmarkInfo | undefined;
  others?: { benchmark: BenchmarkInfo; nodes: NodeFigures[] }[];
}) {
  const colors = useThemeColors();
  const fields = quickmark?.result_fields ?? [];
  const metrics = scoredMetrics(
    perf,
    fields.map((f) => f.key),
  );
  const [metric, setMetric] = useState<string>("bf16_tflops");
  const chosen = metrics.includes(metric) ? metric : metrics[0];
  const field = fields.find((f) => f.key === chosen);
  const rows = chosen ? metricVsReferenceRows(perf, chosen) : [];
  const links = linkRows(clusterNetwork);
  const threshold = perf?.threshold ?? 0.9;
  const ratioRows = (perf?.nodes ?? []).map((n, i) => {
    const m = (n as { metrics?: Record<string, { ratio: number | null }> }).metrics ?? {};
    return {
      node: `#${i + 1} ${n.machine_uuid.slice(0, 8)}`,
      bf16: m.bf16_tflops?.ratio != null ? Math.round(m.bf16_tflops.ratio * 100) : null,
      fp16: m.fp16_tflops?.ratio != null ? Math.round(m.fp16_tflops.ratio * 100) : null,
      memory: m.memory_bandwidth_gbs?.ratio != null ? Math.round(m.memory_bandwidth_gbs.ratio * 100) : null,
    };
  });
  if (!colors) return <div className="chart-box" aria-hidden="true" />;
  return (
    <div className="charts">
      {rows.length > 0 && (
        <BarFigure
          testId="chart-metric-vs-reference"
          title={`Per-node ${field?.display_name ?? chosen} vs reference`}
          picker={{
            label: "Metric",
            ariaLabel: "Metric for the per-node chart",
            value: chosen,
            options: metrics.map((k) => ({ value: k, label: fields.find((f) => f.key === k)?.display_name ?? k })),
            onChange: setMetric,
          }}
          rows={rows}
          xKey="node"
          unit={field?.unit}
          series={[
            { dataKey: "value", name: "Per GPU", fill: colors["--accent"] },
            { dataKey: "reference", name: "Reference", fill: colors["--muted"] },
          ]}
          colors={colors}
        />
      )}
      {ratioRows.some((r) => r.bf16 !== null || r.memory !== null) && (
        <BarFigure
          testId="chart-ratio"
          title={`Key metrics, % of reference (threshold ${Math.round(threshold * 100)}%)`}
          rows={ratioRows}
          xKey="node"
          unit="%"
          yWidth={60}
          yDomain={[0, (max: number) => Math.max(110, Math.ceil(max / 10) * 10)]}
          referenceY={threshold * 100}
          series={[
            { dataKey: "bf16", name: "BF16", fill: colors["--accent"] },
            { dataKey: "fp16", name: "FP16", fill: colors["--info"] },
            { dataKey: "memory", name: "Memory BW", fill: colors["--success"] },
          ]}
          colors={colors}
        />
      )}
      {links.length > 0 && (
        <BarFigure
          testId="chart-network"
          title="Cluster network bandwidth per link"
          rows={links}
          xKey="link"
          denseX
          unit="Gbps"
          yWidth={80}
          series={[{ dataKey: "bandwidth_gbps", name: "Bandwidth (Gbps)", fill: colors["--info"] }]}
          colors={colors}
        />
      )}
      {others.map((o) => (
        <BenchmarkNodeChart key={o.benchmark.id} benchmark={o.benchmark} nodes={o.nodes} colors={colors} />
      ))}
      {rows.length === 0 && links.length === 0 && others.length === 0 && (
        <p className="muted">No benchmark figures to chart yet.</p>
      )}
    </div>
  );
}

/**
 * A benchmark without a bespoke chart (inference, fine-tuning): a catalogued field per node,
 * the field chosen from those the nodes reported.
 */
function BenchmarkNodeChart({
  benchmark,
  nodes,
  colors,
}: {
  benchmark: BenchmarkInfo;
  nodes: NodeFigures[];
  colors: ThemeColors;
}) {
  const fields = benchmark.result_fields.filter((f) => nodes.some((n) => typeof n.results[f.key] === "number"));
  const [key, setKey] = useState(fields[0]?.key ?? "");
  const field = fields.find((f) => f.key === key) ?? fields[0];
  if (!field) return null;
  const rows = nodes.map((n) => ({
    node: n.node,
    value: typeof n.results[field.key] === "number" ? (n.results[field.key] as number) : null,
  }));
  return (
    <BarFigure
      testId={`chart-benchmark-${benchmark.id}`}
      title={`${benchmark.name}: ${field.display_name} per node`}
      picker={{
        label: "Result",
        ariaLabel: `Result of ${benchmark.name} to chart`,
        value: field.key,
        options: fields.map((f) => ({ value: f.key, label: f.display_name })),
        onChange: setKey,
      }}
      rows={rows}
      xKey="node"
      unit={field.unit}
      yWidth={100}
      series={[
        {
          dataKey: "value",
          name: field.unit ? `${field.display_name} (${field.unit})` : field.display_name,
          fill: colors["--accent"],
        },
      ]}
      colors={colors}
    />
  );
}
