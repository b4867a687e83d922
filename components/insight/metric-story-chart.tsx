"use client";
import { useState } from "react";
import {
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Scatter,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { MachineDetail } from "@/components/fleet/use-fleet";
import { useThemeColors } from "@/components/charts/theme-colors";

const METRICS = [
  { key: "bf16_tflops", label: "BF16 (TFLOPS)" },
  { key: "fp16_tflops", label: "FP16 (TFLOPS)" },
  { key: "memory_bandwidth_gbs", label: "Memory bandwidth (GB/s)" },
] as const;

/**
 * One key metric of a machine over time in its own units, with the fleet median of its GPU
 * model and the machine's own baseline as they stood at each run, and the regressed runs
 * marked. Loaded with next/dynamic.
 */
export default function MetricStoryChart({ history }: { history: MachineDetail["history"] }) {
  const colors = useThemeColors();
  const [metric, setMetric] = useState<(typeof METRICS)[number]["key"]>("bf16_tflops");
  const rows = history.map((h) => {
    const f = h.metrics[metric];
    return {
      date: h.date ? h.date.slice(5, 16).replace("T", " ") : "",
      job: h.job_name,
      value: f?.value ?? null,
      fleet: f?.fleet_median ?? null,
      baseline: f?.baseline ?? null,
      regressed: f?.status === "regressed" || f?.status === "underperforming" ? f.value : null,
    };
  });
  if (!colors || !rows.some((r) => r.value !== null)) return null;
  const axis = { stroke: colors["--muted"], fontSize: 11 };
  return (
    <figure className="card chart-card" style={{ margin: 0 }} data-testid="metric-story-chart">
      <figcaption className="row">
        <h3 style={{ margin: 0, fontSize: 14 }}>Runs against the fleet median and this machine&apos;s baseline</h3>
        <select aria-label="Chart metric" value={metric} onChange={(e) => setMetric(e.target.value as typeof metric)}>
          {METRICS.map((m) => (
            <option key={m.key} value={m.key}>
              {m.label}
            </option>
          ))}
        </select>
      </figcaption>
      <div className="chart-box">
        <ResponsiveContainer>
          <ComposedChart data={rows} margin={{ top: 8, right: 12, bottom: 8, left: 0 }}>
            <CartesianGrid stroke={colors["--border"]} vertical={false} />
            <XAxis dataKey="date" tick={axis} stroke={colors["--border"]} />
            <YAxis tick={axis} stroke={colors["--border"]} domain={["auto", "auto"]} />
            <Tooltip
              contentStyle={{
                background: colors["--card"],
                border: `1px solid ${colors["--border"]}`,
                color: colors["--fg"],
              }}
              labelFormatter={(l, p) => `${l} · ${p?.[0]?.payload?.job ?? ""}`}
            />
            <Legend />
            <Line
              dataKey="fleet"
              name="Fleet median"
              stroke={colors["--muted"]}
              strokeDasharray="4 4"
              dot={false}
              isAnimationActive={false}
              connectNulls
            />
            <Line
              dataKey="baseline"
              name="Own baseline"
              stroke={colors["--info"]}
              strokeDasharray="2 3"
              dot={false}
              isAnimationActive={false}
              connectNulls
            />
            <Line
              dataKey="value"
              name="This run"
              stroke={colors["--accent"]}
              dot
              isAnimationActive={false}
              connectNulls
            />
            <Scatter dataKey="regressed" name="Flagged" fill={colors["--danger"]} isAnimationActive={false} />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
