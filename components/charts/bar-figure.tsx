"use client";
import type { ReactNode } from "react";
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
import { tooltipStyle, type ThemeColors } from "./theme-colors";

export interface BarSeries {
  dataKey: string;
  name: string;
  fill: string;
}

/** A select above the chart that picks what it shows (a metric, a result field). */
export interface ChartPicker {
  label: string;
  ariaLabel: string;
  value: string;
  options: { value: string; label: string }[];
  onChange: (value: string) => void;
}

/**
 * The job page's one bar-chart figure: a titled card, an optional picker, one bar per series
 * and row, the theme's axis, grid and tooltip. Every job chart is one of these, so they read
 * alike and change in one place. Part of the charts chunk (recharts).
 */
export function BarFigure({
  testId,
  title,
  picker,
  rows,
  xKey,
  series,
  colors,
  unit,
  yWidth = 90,
  yDomain,
  referenceY,
  legend = series.length > 1,
  denseX = false,
}: {
  testId: string;
  title: ReactNode;
  picker?: ChartPicker;
  rows: object[];
  xKey: string;
  series: BarSeries[];
  colors: ThemeColors;
  unit?: string | null;
  yWidth?: number;
  yDomain?: [number, (max: number) => number];
  /** A dashed danger line across the chart (a threshold). */
  referenceY?: number;
  legend?: boolean;
  /** Many categories (links): smaller labels, thinned when they would collide. */
  denseX?: boolean;
}) {
  const axis = { stroke: colors["--muted"], fontSize: 11 };
  return (
    <figure className="card chart-card" style={{ margin: 0 }} data-testid={testId}>
      <div className="section-head">
        <figcaption>
          <h3 style={{ margin: 0, fontSize: 14 }}>{title}</h3>
        </figcaption>
        {picker && (
          <label className="row" style={{ fontSize: 12 }}>
            <span className="muted">{picker.label}</span>
            <select
              aria-label={picker.ariaLabel}
              value={picker.value}
              onChange={(e) => picker.onChange(e.target.value)}
            >
              {picker.options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <div className="chart-box">
        <ResponsiveContainer>
          <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
            <CartesianGrid stroke={colors["--border"]} vertical={false} />
            <XAxis
              dataKey={xKey}
              tick={denseX ? { ...axis, fontSize: 10 } : axis}
              stroke={colors["--border"]}
              interval={denseX ? (rows.length > 12 ? "preserveStartEnd" : 0) : undefined}
            />
            <YAxis
              tick={axis}
              stroke={colors["--border"]}
              unit={unit ? (unit === "%" ? unit : ` ${unit}`) : undefined}
              width={yWidth}
              domain={yDomain}
            />
            <Tooltip contentStyle={tooltipStyle(colors)} />
            {legend && <Legend />}
            {referenceY !== undefined && (
              <ReferenceLine y={referenceY} stroke={colors["--danger"]} strokeDasharray="4 4" />
            )}
            {series.map((s) => (
              <Bar key={s.dataKey} dataKey={s.dataKey} name={s.name} fill={s.fill} isAnimationActive={false} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
