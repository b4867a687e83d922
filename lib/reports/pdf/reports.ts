import { formatDate, formatNumber } from "../format";
import { findReportNode, type ReportModel } from "../model";
import {
  createReportDocument,
  heading,
  pageFooters,
  paragraph,
  renderToBuffer,
  table,
  yieldToEventLoop,
  type Doc,
} from "./document";
import type { QuickmarkMetric } from "../../performance/metrics";
import { benchmarkSection, jobVerdict, machinesTable, nodeLabel, nodeVerdict, reportHeader } from "./sections";
import { clusterNetworkDetail } from "./network";
import { gpuBandwidthTable } from "./gpu-links";

/** The job report: header, machines, performance verdict, cluster-level and per-node results. */
export function renderJobReport(model: ReportModel): Promise<Buffer> {
  const title = `Benchboard job report - ${model.job.name}`;
  return renderToBuffer(createReportDocument(title), async (doc) => {
    reportHeader(doc, model, "Job report");
    machinesTable(doc, model.nodes);
    jobVerdict(doc, model.performance, model.nodes);
    heading(doc, "Cluster results");
    if (!model.results.length)
      paragraph(doc, "No cluster-level results yet: they are computed when every node has finished.");
    for (const r of model.results) {
      benchmarkSection(doc, r);
      if (r.benchmarkId === "cluster_network") clusterNetworkDetail(doc, r);
    }
    heading(doc, "Results by node");
    for (const [i, n] of model.nodes.entries()) {
      if (i % 8 === 7) await yieldToEventLoop();
      heading(doc, `${nodeLabel(n)} - ${n.task.gpuModel ?? "unknown GPU"} × ${n.task.gpuCount}`, 11.5);
      if (!n.results.length) paragraph(doc, "No results uploaded.");
      for (const r of n.results) {
        benchmarkSection(doc, r, n.task.gpuCount);
        if (r.benchmarkId === "quick_mark") gpuBandwidthTable(doc, r.results);
      }
    }
    pageFooters(doc, `Job ${model.job.id}`);
  });
}

const PER_GPU_COLUMNS: [QuickmarkMetric, string][] = [
  ["bf16_tflops", "BF16 (TFLOPS)"],
  ["fp16_tflops", "FP16 (TFLOPS)"],
  ["memory_bandwidth_gbs", "Memory (GB/s)"],
  ["power_consumption_watts", "Power (W)"],
  ["temperature_centigrade", "Temp. (°C)"],
];

function perGpuTable(doc: Doc, results: unknown): void {
  const rows = (results as { test_results?: Record<string, unknown>[] } | null)?.test_results;
  if (!Array.isArray(rows) || !rows.length) return;
  heading(doc, "quick_mark by GPU", 11);
  table(
    doc,
    [
      { header: "GPU", width: 0.1 },
      ...PER_GPU_COLUMNS.map(([, header]) => ({ header, width: 0.18, align: "right" as const })),
    ],
    rows.map((r, i) => [
      String(r.gpu_index ?? i),
      ...PER_GPU_COLUMNS.map(([m]) => (typeof r[m] === "number" ? formatNumber(r[m] as number) : "-")),
    ]),
  );
}

/** One node's report: its machine, verdict against the reference, and every result it uploaded. */
export function renderNodeReport(model: ReportModel, taskId: bigint): Promise<Buffer> {
  const node = findReportNode(model, taskId);
  const title = `Benchboard node report - ${nodeLabel(node)} (job ${model.job.name})`;
  return renderToBuffer(createReportDocument(title), (doc) => {
    reportHeader(doc, model, `Node report - ${nodeLabel(node)}`);
    machinesTable(doc, [node]);
    paragraph(
      doc,
      `Node state: ${node.task.state}. Joined ${formatDate(node.task.startedAt ?? node.task.createdAt)}, ended ${formatDate(node.task.endedAt)}.`,
    );
    const inv = (node.task.inventory ?? {}) as Record<string, unknown>;
    const invRows = Object.entries(inv).filter(([k, v]) => k !== "hostname" && v !== null && typeof v !== "object");
    if (invRows.length) {
      heading(doc, "Inventory", 11);
      table(
        doc,
        [
          { header: "Item", width: 0.35 },
          { header: "Value", width: 0.65 },
        ],
        invRows.map(([k, v]) => [k, String(v)]),
      );
    }
    if (node.task.failedMessage) paragraph(doc, `Failure: ${node.task.failedMessage}`);
    nodeVerdict(doc, node.performance, node.task.gpuModel);
    heading(doc, "Benchmark results");
    if (!node.results.length) paragraph(doc, "No results uploaded.");
    for (const r of node.results) {
      benchmarkSection(doc, r, node.task.gpuCount);
      if (r.benchmarkId === "quick_mark") {
        perGpuTable(doc, r.results);
        gpuBandwidthTable(doc, r.results);
      }
      if (r.benchmarkId === "cluster_network") clusterNetworkDetail(doc, r, "Bandwidth of this node's links");
    }
    pageFooters(doc, `Job ${model.job.id}, task ${taskId}`);
  });
}
