"use client";
import {
  Area,
  CartesianGrid,
  ComposedChart,
  Line,
  ReferenceLine,
  ResponsiveContainer,
  Scatter,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { MachineDetail } from "@/components/fleet/use-fleet";
import { tooltipStyle, useThemeColors, type ThemeColors } from "@/components/charts/theme-colors";
import { formatNumber, METRIC_LABELS } from "@/components/performance/metric-labels";
import { KEY_METRICS, type QuickmarkMetric } from "@/lib/performance/metrics";

type History = MachineDetail["history"];
type Annotation = MachineDetail["annotations"][number];

// Runs within two days read by time of day; a longer history by date.
const tickOf = (span: number) => (t: number) =>
  new Date(t).toISOString().slice(...(span < 2 * 86_400_000 ? [11, 16] : [5, 10]));
const when = (t: number) => new Date(t).toISOString().slice(0, 16).replace("T", " ");

/** One row per run that has the metric: its value and the references as they stood at that run. */
function storyRows(history: History, metric: QuickmarkMetric) {
  return history.flatMap((h) => {
    const f = h.metrics[metric];
    if (!f || !h.date) return [];
    return [
      {
        t: new Date(h.date).getTime(),
        job: h.job_name,
        value: f.value,
        band: f.fleet_band ? ([f.fleet_band.low, f.fleet_band.high] as [number, number]) : null,
        fleet: f.fleet_median,
        baseline: f.baseline,
        limit: f.baseline_limit,
        flagged: f.status === "regressed" || f.status === "underperforming" ? f.value : null,
      },
    ];
  });
}

/** The series, in the order of the legend above the charts. */
function legendItems(colors: ThemeColors) {
  return [
    { key: "band", label: "Fleet band (median ± 3 σ)", swatch: { background: colors["--muted"], opacity: 0.3 } },
    { key: "fleet", label: "Fleet median", swatch: { borderTop: `2px dashed ${colors["--muted"]}` } },
    { key: "baseline", label: "Own baseline", swatch: { borderTop: `2px solid ${colors["--info"]}` } },
    { key: "limit", label: "Regression limit", swatch: { borderTop: `2px dotted ${colors["--info"]}` } },
    { key: "value", label: "Run", swatch: { borderTop: `2px solid ${colors["--accent"]}` } },
    {
      key: "flagged",
      label: "Flagged run",
      swatch: { background: colors["--danger"], borderRadius: "50%", width: 10 },
    },
    { key: "annotation", label: "Annotation", swatch: { borderLeft: `2px dashed ${colors["--warning"]}` } },
  ];
}

/**
 * Each key metric of a machine over time in its own units: the fleet band of its GPU model
 * (shaded, median ± 3 σ) and median, the machine's own baseline and the limit below which the
 * own-history test flags, the runs with the flagged ones marked, and the annotations as
 * vertical lines (A1, A2… as in the list). Loaded with next/dynamic (recharts).
 */
export default function MetricStoryCharts({ history, annotations }: { history: History; annotations: Annotation[] }) {
  const colors = useThemeColors();
  const charts = KEY_METRICS.map((metric) => ({ metric, rows: storyRows(history, metric) })).filter(
    (c) => c.rows.length > 0,
  );
  if (!colors || !charts.length) return null;
  const notes = annotations.map((a, i) => ({ t: new Date(a.created_at ?? 0).getTime(), label: `A${i + 1}` }));
  const times = [...charts.flatMap((c) => c.rows.map((r) => r.t)), ...notes.map((n) => n.t)];
  const domain: [number, number] = [Math.min(...times), Math.max(...times)];
  return (
    <div className="stack" data-testid="metric-story">
      <ul className="chart-legend" aria-label="Chart legend">
        {legendItems(colors).map((item) => (
          <li key={item.key} data-series={item.key}>
            <span className="chart-swatch" style={item.swatch} aria-hidden="true" />
            {item.label}
          </li>
        ))}
      </ul>
      <div className="charts">
        {charts.map(({ metric, rows }) => (
          <MetricStory key={metric} metric={metric} rows={rows} notes={notes} domain={domain} colors={colors} />
        ))}
      </div>
    </div>
  );
}

function MetricStory({
  metric,
  rows,
  notes,
  domain,
  colors,
}: {
  metric: QuickmarkMetric;
  rows: ReturnType<typeof storyRows>;
  notes: { t: number; label: string }[];
  domain: [number, number];
  colors: ThemeColors;
}) {
  const axis = { stroke: colors["--muted"], fontSize: 11 };
  const label = METRIC_LABELS[metric];
  return (
    <figure
      className="card chart-card"
      style={{ margin: 0 }}
      data-testid="metric-story-chart"
      data-metric={metric}
      aria-label={`${label.label} over time against the fleet band and own baseline`}
    >
      <figcaption>
        <h3 style={{ margin: 0, fontSize: 14 }}>
          {label.label} <span className="muted small">({label.unit})</span>
        </h3>
      </figcaption>
      <div className="chart-box">
        <ResponsiveContainer>
          <ComposedChart data={rows} margin={{ top: 14, right: 12, bottom: 4, left: 0 }}>
            <CartesianGrid stroke={colors["--border"]} vertical={false} />
            <XAxis
              dataKey="t"
              type="number"
              scale="time"
              domain={domain}
              tickFormatter={tickOf(domain[1] - domain[0])}
              tick={axis}
              stroke={colors["--border"]}
            />
            <YAxis
              tick={axis}
              stroke={colors["--border"]}
              domain={["auto", "auto"]}
              width={64}
              tickFormatter={(v: number) => formatNumber(v, 0)}
            />
            <Tooltip
              contentStyle={tooltipStyle(colors)}
              labelFormatter={(t, p) => `${when(Number(t))} · ${p?.[0]?.payload?.job ?? ""}`}
              formatter={(v) =>
                Array.isArray(v)
                  ? `${formatNumber(v[0] as number)} – ${formatNumber(v[1] as number)}`
                  : formatNumber(v as number)
              }
            />
            <Area
              dataKey="band"
              name="Fleet band (median ± 3 σ)"
              fill={colors["--muted"]}
              fillOpacity={0.25}
              stroke="none"
              isAnimationActive={false}
              connectNulls
            />
            <Line
              dataKey="fleet"
              name="Fleet median"
              stroke={colors["--muted"]}
              strokeDasharray="5 4"
              dot={false}
              isAnimationActive={false}
              connectNulls
            />
            <Line
              dataKey="baseline"
              name="Own baseline"
              stroke={colors["--info"]}
              dot={false}
              isAnimationActive={false}
              connectNulls
            />
            <Line
              dataKey="limit"
              name="Regression limit"
              stroke={colors["--info"]}
              strokeDasharray="2 3"
              dot={false}
              isAnimationActive={false}
              connectNulls
            />
            <Line
              dataKey="value"
              name="Run"
              stroke={colors["--accent"]}
              dot={{ r: 2.5 }}
              isAnimationActive={false}
              connectNulls
            />
            <Scatter
              data={rows.filter((r) => r.flagged !== null)}
              dataKey="flagged"
              name="Flagged run"
              fill={colors["--danger"]}
              isAnimationActive={false}
            />
            {notes.map((n) => (
              <ReferenceLine
                key={n.label}
                x={n.t}
                stroke={colors["--warning"]}
                strokeDasharray="4 3"
                label={{ value: n.label, position: "top", fill: colors["--warning"], fontSize: 10 }}
              />
            ))}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
