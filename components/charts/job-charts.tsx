"use client";
import { useState } from "react";
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { BenchmarkInfo, JobPerformanceResponse } from "@/components/job-detail/use-job";
import { useThemeColors } from "./theme-colors";
import { linkRows, metricVsReferenceRows, scoredMetrics } from "./chart-data";
import { BenchmarkNodeChart, type NodeFigures } from "./benchmark-node-chart";

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
  const axis = { stroke: colors["--muted"], fontSize: 11 };
  const tooltip = {
    contentStyle: { background: colors["--card"], border: `1px solid ${colors["--border"]}`, color: colors["--fg"] },
  };
  return (
    <div className="charts">
      {rows.length > 0 && (
        <figure className="card chart-card" style={{ margin: 0 }} data-testid="chart-metric-vs-reference">
          <div className="section-head">
            <figcaption>
              <h3 style={{ margin: 0, fontSize: 14 }}>Per-node {field?.display_name ?? chosen} vs reference</h3>
            </figcaption>
            <label className="row" style={{ fontSize: 12 }}>
              <span className="muted">Metric</span>
              <select
                aria-label="Metric for the per-node chart"
                value={chosen}
                onChange={(e) => setMetric(e.target.value)}
              >
                {metrics.map((k) => (
                  <option key={k} value={k}>
                    {fields.find((f) => f.key === k)?.display_name ?? k}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <div className="chart-box">
            <ResponsiveContainer>
              <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
                <CartesianGrid stroke={colors["--border"]} vertical={false} />
                <XAxis dataKey="node" tick={axis} stroke={colors["--border"]} />
                <YAxis
                  tick={axis}
                  stroke={colors["--border"]}
                  unit={field?.unit ? ` ${field.unit}` : undefined}
                  width={90}
                />
                <Tooltip {...tooltip} />
                <Legend />
                <Bar dataKey="value" name="Per GPU" fill={colors["--accent"]} isAnimationActive={false} />
                <Bar dataKey="reference" name="Reference" fill={colors["--muted"]} isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </div>
        </figure>
      )}
      {ratioRows.some((r) => r.bf16 !== null || r.memory !== null) && (
        <figure className="card chart-card" style={{ margin: 0 }} data-testid="chart-ratio">
          <figcaption>
            <h3 style={{ margin: 0, fontSize: 14 }}>
              Key metrics, % of reference (threshold {Math.round(threshold * 100)}%)
            </h3>
          </figcaption>
          <div className="chart-box">
            <ResponsiveContainer>
              <BarChart data={ratioRows} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
                <CartesianGrid stroke={colors["--border"]} vertical={false} />
                <XAxis dataKey="node" tick={axis} stroke={colors["--border"]} />
                <YAxis
                  tick={axis}
                  stroke={colors["--border"]}
                  unit="%"
                  domain={[0, (max: number) => Math.max(110, Math.ceil(max / 10) * 10)]}
                />
                <Tooltip {...tooltip} />
                <Legend />
                <ReferenceLine y={threshold * 100} stroke={colors["--danger"]} strokeDasharray="4 4" />
                <Bar dataKey="bf16" name="BF16" fill={colors["--accent"]} isAnimationActive={false} />
                <Bar dataKey="fp16" name="FP16" fill={colors["--info"]} isAnimationActive={false} />
                <Bar dataKey="memory" name="Memory BW" fill={colors["--success"]} isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </div>
        </figure>
      )}
      {links.length > 0 && (
        <figure className="card chart-card" style={{ margin: 0 }} data-testid="chart-network">
          <figcaption>
            <h3 style={{ margin: 0, fontSize: 14 }}>Cluster network bandwidth per link</h3>
          </figcaption>
          <div className="chart-box">
            <ResponsiveContainer>
              <BarChart data={links} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
                <CartesianGrid stroke={colors["--border"]} vertical={false} />
                <XAxis
                  dataKey="link"
                  tick={{ ...axis, fontSize: 10 }}
                  stroke={colors["--border"]}
                  interval={links.length > 12 ? "preserveStartEnd" : 0}
                />
                <YAxis tick={axis} stroke={colors["--border"]} unit=" Gbps" width={80} />
                <Tooltip {...tooltip} />
                <Bar
                  dataKey="bandwidth_gbps"
                  name="Bandwidth (Gbps)"
                  fill={colors["--info"]}
                  isAnimationActive={false}
                />
              </BarChart>
            </ResponsiveContainer>
          </div>
        </figure>
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
