import type { BenchmarkResult } from "../../generated/prisma/client";
import { findBenchmark, type ResultField } from "../../benchmarks/catalog";
import { KEY_METRICS, QUICKMARK_METRICS, type QuickmarkMetric } from "../../performance/metrics";
import type { JobPerformance, NodePerformance, PerformanceStatus } from "../../performance/scoring";
import { formatDate, formatNumber, formatRatio, withUnit } from "../format";
import type { ReportModel, ReportNode } from "../model";
import { COLORS, heading, keyValues, paragraph, table, type Doc } from "./document";
import { ratioChart } from "./charts";
import { quickmarkNodeAggregate } from "../../results/quickmark";

type Json = Record<string, unknown>;
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

export function quickmarkField(key: QuickmarkMetric): ResultField {
  return findBenchmark("quick_mark")!.result_fields.find((f) => f.key === key)!;
}

/** How each performance status reads in a report: its own colour and label (the dashboard's badges, in print). */
export const STATUS_STYLE: Record<PerformanceStatus, { color: string; label: string }> = {
  ok: { color: COLORS.ok, label: "OK" },
  underperforming: { color: COLORS.bad, label: "UNDERPERFORMING" },
  regressed: { color: COLORS.regressed, label: "REGRESSED" },
  unknown: { color: COLORS.unknown, label: "UNKNOWN" },
};
const styleOf = (s: PerformanceStatus | string) =>
  STATUS_STYLE[s as PerformanceStatus] ?? { color: COLORS.unknown, label: s.toUpperCase() };
const statusCell = (s: PerformanceStatus | string) => ({ text: styleOf(s).label, color: styleOf(s).color });

export function nodeLabel(n: ReportNode): string {
  return n.hostname ?? n.task.machineUuid;
}

export function reportHeader(doc: Doc, model: ReportModel, title: string): void {
  const { job } = model;
  doc.font("Helvetica-Bold").fontSize(18).fillColor(COLORS.text).text(title);
  doc.font("Helvetica").fontSize(10).fillColor(COLORS.muted).text(`Job "${job.name}" (id ${job.id})`);
  doc.moveDown(0.6);
  keyValues(doc, [
    ["Customer", model.customerName],
    ["State", job.failedMessage ? `${job.state} - ${job.failedMessage}` : job.state],
    ["Created", formatDate(job.createdAt)],
    ["Started", formatDate(job.startedAt)],
    ["Ended", formatDate(job.endedAt)],
    ["Nodes", `${job.currentNodes} of ${job.nodeCount} joined`],
    ["Benchmarks", job.benchmarkIds.join(", ") || "-"],
    ["Tags", job.tags.join(", ") || "-"],
    ["Performance", job.performanceStatus.toUpperCase()],
    ...(job.description ? ([["Description", job.description]] as [string, string][]) : []),
  ]);
}

export function machinesTable(doc: Doc, nodes: ReportNode[]): void {
  heading(doc, "Machines");
  if (!nodes.length) return paragraph(doc, "No node joined this job.");
  table(
    doc,
    [
      { header: "Hostname", width: 0.16 },
      { header: "Machine UUID", width: 0.34 },
      { header: "IP", width: 0.15 },
      { header: "GPU", width: 0.35 },
    ],
    nodes.map((n) => [
      n.hostname ?? "-",
      n.task.machineUuid,
      n.task.machineIp ?? "-",
      n.task.gpuModel ? `${n.task.gpuModel} × ${n.task.gpuCount}` : "-",
    ]),
  );
}

/** The scalar result fields of a stored result, named and with units from the catalog. */
export function resultFieldRows(result: BenchmarkResult): { field: ResultField; value: number }[] {
  const def = findBenchmark(result.benchmarkId);
  const r = (result.results ?? {}) as Json;
  // Node quick_mark results keep their totals in aggregate_results (completed from test_results
  // where the agent left keys out); job-level ones at the top.
  const isNodeQuickmark =
    result.benchmarkId === "quick_mark" &&
    (Array.isArray(r.test_results) || (!!r.aggregate_results && typeof r.aggregate_results === "object"));
  const source = isNodeQuickmark ? quickmarkNodeAggregate(r) : r;
  const fields: ResultField[] =
    def?.result_fields ?? Object.keys(source).map((key) => ({ key, display_name: key, unit: null }));
  return fields.flatMap((field) => {
    const value = num(source[field.key]);
    return value === null ? [] : [{ field, value }];
  });
}

export function benchmarkSection(doc: Doc, result: BenchmarkResult, perGpuCount?: number): void {
  heading(doc, `${result.benchmarkName} (${result.benchmarkId})`, 11);
  paragraph(
    doc,
    `State: ${result.state}${result.errorMessage ? ` - ${result.errorMessage}` : ""}. Ran ${formatDate(result.startedAt)} to ${formatDate(result.endedAt)}.`,
  );
  doc.moveDown(0.3);
  const rows = resultFieldRows(result);
  if (!rows.length) return paragraph(doc, "No figures were recorded.");
  const perGpu = perGpuCount && perGpuCount > 0 && result.benchmarkId === "quick_mark";
  table(
    doc,
    [
      { header: "Metric", width: 0.4 },
      { header: perGpu ? "Node total" : "Value", width: 0.22, align: "right" },
      ...(perGpu ? [{ header: "Per GPU", width: 0.22, align: "right" as const }] : []),
      { header: "Unit", width: 0.16 },
    ],
    rows.map(({ field, value }) => {
      // Temperature is a max and launch overhead an average: per-GPU division is meaningless.
      const additive = field.aggregate === "sum";
      return [
        field.display_name,
        formatNumber(value),
        ...(perGpu ? [additive ? formatNumber(value / perGpuCount) : formatNumber(value)] : []),
        field.unit ?? "",
      ];
    }),
  );
}

/** A node's quick_mark figures against the reference for its GPU model. */
export function nodeVerdict(doc: Doc, perf: NodePerformance | null, gpuModel: string | null): void {
  heading(doc, "Performance verdict");
  if (!perf) return paragraph(doc, "Unknown: this node has no completed quick_mark result to compare.");
  doc
    .font("Helvetica-Bold")
    .fontSize(11)
    .fillColor(styleOf(perf.status).color)
    .text(`Verdict: ${styleOf(perf.status).label}`);
  const regressed = perf.regressed_metrics ?? [];
  paragraph(
    doc,
    `Per-GPU figures of this node against the reference for ${gpuModel ?? "its GPU model"}. A key metric (${KEY_METRICS.join(", ")}) below ${formatRatio(perf.threshold)} of its reference makes the node underperforming; one that dropped significantly against this machine's own history, regressed.${perf.underperforming_metrics.length ? ` Below threshold: ${perf.underperforming_metrics.join(", ")}.` : ""}${regressed.length ? ` Regressed against its own baseline: ${regressed.join(", ")}.` : ""}`,
  );
  for (const m of regressed) {
    const reason = perf.metrics[m]?.reason;
    if (!reason) continue;
    doc.moveDown(0.2);
    paragraph(doc, reason);
  }
  doc.moveDown(0.3);
  const entries = QUICKMARK_METRICS.flatMap((m) => (perf.metrics[m] ? [[m, perf.metrics[m]!] as const] : []));
  table(
    doc,
    [
      { header: "Metric", width: 0.24 },
      { header: "Value / GPU", width: 0.15, align: "right" },
      { header: "Reference", width: 0.15, align: "right" },
      { header: "Ratio", width: 0.11, align: "right" },
      { header: "Threshold", width: 0.11, align: "right" },
      { header: "Source", width: 0.11 },
      { header: "Status", width: 0.13 },
    ],
    entries.map(([m, s]) => {
      const f = quickmarkField(m);
      const key = KEY_METRICS.includes(m);
      return [
        f.display_name,
        withUnit(formatNumber(s.value), f.unit),
        s.reference === null ? "-" : formatNumber(s.reference),
        formatRatio(s.ratio),
        key ? formatRatio(perf.threshold) : "-",
        s.source ?? "-",
        key ? statusCell(s.status) : "info",
      ];
    }),
  );
  ratioChart(
    doc,
    "quick_mark per GPU vs reference",
    entries.map(([m, s]) => ({
      label: quickmarkField(m).display_name,
      ratio: s.ratio,
      judged: KEY_METRICS.includes(m),
      regressed: s.status === "regressed",
      caption:
        `${formatNumber(s.value)} / ${s.reference === null ? "-" : formatNumber(s.reference)} ${quickmarkField(m).unit ?? ""}`.trim(),
    })),
    perf.threshold,
  );
}

/** The job's roll-up: status, per-node verdicts and the key metrics of every node. */
export function jobVerdict(doc: Doc, perf: JobPerformance | null, nodes: ReportNode[]): void {
  heading(doc, "Performance verdict");
  if (!perf) return paragraph(doc, "Unknown: no node has a completed quick_mark result to compare.");
  doc
    .font("Helvetica-Bold")
    .fontSize(11)
    .fillColor(styleOf(perf.status).color)
    .text(`Verdict: ${styleOf(perf.status).label}`);
  paragraph(
    doc,
    `${perf.nodes_underperforming} of ${perf.nodes_scored} scored nodes underperforming${perf.nodes_regressed ? `, ${perf.nodes_regressed} regressed against their own baseline` : ""} (${perf.nodes_total} nodes). Threshold ${formatRatio(perf.threshold)} of the reference on ${KEY_METRICS.join(", ")}.`,
  );
  doc.moveDown(0.3);
  table(
    doc,
    [
      { header: "Node", width: 0.16 },
      { header: "State", width: 0.1 },
      ...KEY_METRICS.map((m) => ({ header: quickmarkField(m).display_name, width: 0.18, align: "right" as const })),
      { header: "Verdict", width: 0.2 },
    ],
    nodes.map((n) => [
      nodeLabel(n),
      n.task.state,
      ...KEY_METRICS.map((m) => {
        const s = n.performance?.metrics[m];
        return s ? `${formatNumber(s.value)} (${formatRatio(s.ratio)})` : "-";
      }),
      statusCell(n.performance?.status ?? "unknown"),
    ]),
  );
  for (const m of KEY_METRICS) {
    const f = quickmarkField(m);
    ratioChart(
      doc,
      `${f.display_name} per GPU by node vs reference`,
      nodes.flatMap((n) => {
        const s = n.performance?.metrics[m];
        return s
          ? [
              {
                label: nodeLabel(n),
                ratio: s.ratio,
                judged: true,
                regressed: s.status === "regressed",
                caption:
                  `${formatNumber(s.value)} / ${s.reference === null ? "-" : formatNumber(s.reference)} ${f.unit ?? ""}`.trim(),
              },
            ]
          : [];
      }),
      perf.threshold,
    );
  }
}
