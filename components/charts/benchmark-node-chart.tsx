"use client";
import { useState } from "react";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { BenchmarkInfo } from "@/components/job-detail/use-job";

export interface NodeFigures {
  node: string;
  results: Record<string, unknown>;
}

/**
 * One benchmark without a bespoke chart (inference, fine-tuning): a catalogued field per
 * node, the field chosen from those the nodes reported. Part of the charts chunk (recharts).
 */
export function BenchmarkNodeChart({
  benchmark,
  nodes,
  colors,
}: {
  benchmark: BenchmarkInfo;
  nodes: NodeFigures[];
  colors: Record<string, string>;
}) {
  const fields = benchmark.result_fields.filter((f) => nodes.some((n) => typeof n.results[f.key] === "number"));
  const [key, setKey] = useState(fields[0]?.key ?? "");
  const field = fields.find((f) => f.key === key) ?? fields[0];
  if (!field) return null;
  const rows = nodes.map((n) => ({
    node: n.node,
    value: typeof n.results[field.key] === "number" ? (n.results[field.key] as number) : null,
  }));
  const axis = { stroke: colors["--muted"], fontSize: 11 };
  return (
    <figure className="card chart-card" style={{ margin: 0 }} data-testid={`chart-benchmark-${benchmark.id}`}>
      <div className="section-head">
        <figcaption>
          <h3 style={{ margin: 0, fontSize: 14 }}>
            {benchmark.name}: {field.display_name} per node
          </h3>
        </figcaption>
        <label className="row" style={{ fontSize: 12 }}>
          <span className="muted">Result</span>
          <select
            aria-label={`Result of ${benchmark.name} to chart`}
            value={field.key}
            onChange={(e) => setKey(e.target.value)}
          >
            {fields.map((f) => (
              <option key={f.key} value={f.key}>
                {f.display_name}
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
              unit={field.unit ? ` ${field.unit}` : undefined}
              width={100}
            />
            <Tooltip
              contentStyle={{
                background: colors["--card"],
                border: `1px solid ${colors["--border"]}`,
                color: colors["--fg"],
              }}
            />
            <Bar
              dataKey="value"
              name={field.unit ? `${field.display_name} (${field.unit})` : field.display_name}
              fill={colors["--accent"]}
              isAnimationActive={false}
            />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
