"use client";
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { MachineDetail } from "@/components/fleet/use-fleet";
import { tooltipStyle, useThemeColors } from "./theme-colors";

const pct = (r: number | null | undefined) => (r == null ? null : Math.round(r * 1000) / 10);

/** A machine's key quick_mark figures over its runs, as % of its GPU model's reference. Loaded with next/dynamic. */
export default function MachineHistoryChart({
  history,
  threshold = 0.9,
}: {
  history: MachineDetail["history"];
  threshold?: number;
}) {
  const colors = useThemeColors();
  const rows = history.map((h) => ({
    // Day and UTC time: runs on the same day stay apart on the axis.
    date: h.date ? h.date.slice(5, 16).replace("T", " ") : "",
    job: h.job_name,
    bf16: pct(h.metrics.bf16_tflops?.ratio),
    fp16: pct(h.metrics.fp16_tflops?.ratio),
    memory: pct(h.metrics.memory_bandwidth_gbs?.ratio),
  }));
  if (!rows.some((r) => r.bf16 !== null || r.fp16 !== null || r.memory !== null)) {
    return (
      <p className="muted">
        No QuickMark figures with a reference yet: the chart fills in as this machine completes runs.
      </p>
    );
  }
  if (!colors) return <div className="chart-box" aria-hidden="true" />;
  const axis = { stroke: colors["--muted"], fontSize: 11 };
  return (
    <figure className="card chart-card" style={{ margin: 0 }} data-testid="machine-history-chart">
      <figcaption>
        <h3 style={{ margin: 0, fontSize: 14 }}>Key metrics per run, % of reference</h3>
      </figcaption>
      <div className="chart-box">
        <ResponsiveContainer>
          <LineChart data={rows} margin={{ top: 8, right: 12, bottom: 8, left: 0 }}>
            <CartesianGrid stroke={colors["--border"]} vertical={false} />
            <XAxis dataKey="date" tick={axis} stroke={colors["--border"]} />
            <YAxis
              tick={axis}
              stroke={colors["--border"]}
              unit="%"
              domain={[0, (max: number) => Math.max(110, Math.ceil(max / 10) * 10)]}
            />
            <Tooltip
              contentStyle={tooltipStyle(colors)}
              labelFormatter={(l, p) => `${l} · ${p?.[0]?.payload?.job ?? ""}`}
            />
            <Legend />
            <ReferenceLine y={threshold * 100} stroke={colors["--danger"]} strokeDasharray="4 4" />
            <Line dataKey="bf16" name="BF16" stroke={colors["--accent"]} dot isAnimationActive={false} connectNulls />
            <Line dataKey="fp16" name="FP16" stroke={colors["--info"]} dot isAnimationActive={false} connectNulls />
            <Line
              dataKey="memory"
              name="Memory BW"
              stroke={colors["--success"]}
              dot
              isAnimationActive={false}
              connectNulls
            />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
