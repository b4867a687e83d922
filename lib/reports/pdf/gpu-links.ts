import { formatNumber } from "../format";
import { gpuBandwidthMatrix } from "../../results/quickmark";
import { heading, paragraph, table, type Doc } from "./document";

// An 8-GPU node has 56 directed pairs; more than this (multi-switch systems) goes to the archive.
const MAX_PAIR_ROWS = 64;

/** A node's GPU↔GPU bandwidth (quick_mark gpu_bandwidth_matrix), one row per GPU pair. */
export function gpuBandwidthTable(doc: Doc, results: unknown): void {
  const links = gpuBandwidthMatrix(results);
  if (!links.length) return;
  heading(doc, "GPU-to-GPU Bandwidth", 11);
  const rows = links.slice(0, MAX_PAIR_ROWS);
  table(
    doc,
    [
      { header: "Source GPU", width: 0.16, align: "right" },
      { header: "Target GPU", width: 0.16, align: "right" },
      { header: "Duplex (GB/s)", width: 0.22, align: "right" },
      { header: "Simplex (GB/s)", width: 0.22, align: "right" },
      { header: "Connection", width: 0.24 },
    ],
    rows.map((l) => [
      String(l.source_gpu),
      String(l.target_gpu),
      l.duplex_gbs === null ? "-" : formatNumber(l.duplex_gbs),
      l.simplex_gbs === null ? "-" : formatNumber(l.simplex_gbs),
      l.connection_type ?? "-",
    ]),
  );
  if (links.length > rows.length)
    paragraph(doc, `${rows.length} of ${links.length} GPU pairs; all are in the results archive.`);
}
