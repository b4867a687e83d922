import { COLORS, contentWidth, ensureSpace, type Doc } from "./document";

/** Vector bar charts drawn with pdfkit primitives (no raster images, sharp at any zoom). */

const LABEL_WIDTH = 150;
const VALUE_WIDTH = 120;
const BAR_HEIGHT = 11;
const GAP = 5;

export interface RatioBar {
  label: string;
  /** value / reference; null when no reference exists. */
  ratio: number | null;
  /** Printed after the bar, e.g. "452.31 / 452.00 TFLOPS". */
  caption: string;
  /** Key metrics are judged against the threshold; others are informational. */
  judged: boolean;
  /** Above the threshold but flagged against the machine's own history: drawn in the regressed colour. */
  regressed?: boolean;
}

/**
 * Each metric as a bar relative to its reference: a solid line marks the reference (100 %),
 * a dashed line the underperformance threshold. Judged bars below it are red, regressed ones amber.
 */
export function ratioChart(doc: Doc, title: string, bars: RatioBar[], threshold: number): void {
  if (!bars.length) return;
  const height = 24 + bars.length * (BAR_HEIGHT + GAP) + 16;
  ensureSpace(doc, Math.min(height, 400));
  const x0 = doc.page.margins.left;
  const plotX = x0 + LABEL_WIDTH;
  const plotW = contentWidth(doc) - LABEL_WIDTH - VALUE_WIDTH;
  const max = Math.max(1.2, ...bars.map((b) => b.ratio ?? 0));
  const xOf = (r: number) => plotX + (Math.min(r, max) / max) * plotW;

  doc.font("Helvetica-Bold").fontSize(9.5).fillColor(COLORS.text).text(title, x0, doc.y);
  doc.moveDown(0.3);
  // Reference and threshold lines are drawn over each page's share of the bars.
  const guides = (from: number, to: number) => {
    doc
      .moveTo(xOf(1), from - 2)
      .lineTo(xOf(1), to)
      .lineWidth(1)
      .strokeColor(COLORS.reference)
      .stroke();
    doc
      .moveTo(xOf(threshold), from - 2)
      .lineTo(xOf(threshold), to)
      .dash(2, { space: 2 })
      .strokeColor(COLORS.bad)
      .stroke()
      .undash();
  };
  let segmentTop = doc.y;
  for (const b of bars) {
    if (doc.y + BAR_HEIGHT + GAP + 14 > doc.page.height - doc.page.margins.bottom) {
      guides(segmentTop, doc.y);
      doc.addPage();
      segmentTop = doc.y;
    }
    const y = doc.y;
    doc
      .font("Helvetica")
      .fontSize(8)
      .fillColor(COLORS.text)
      .text(b.label, x0, y + 1.5, { width: LABEL_WIDTH - 6, height: 10, ellipsis: true });
    doc.rect(plotX, y, plotW, BAR_HEIGHT).fillColor("#f1f3f5").fill();
    if (b.ratio !== null) {
      const color = !b.judged
        ? COLORS.accent
        : b.ratio < threshold
          ? COLORS.bad
          : b.regressed
            ? COLORS.regressed
            : COLORS.ok;
      doc
        .rect(plotX, y, Math.max(1, xOf(b.ratio) - plotX), BAR_HEIGHT)
        .fillColor(color)
        .fill();
    }
    doc
      .font("Helvetica")
      .fontSize(7.5)
      .fillColor(COLORS.muted)
      .text(b.caption, plotX + plotW + 6, y + 2, { width: VALUE_WIDTH - 6, height: 10, ellipsis: true });
    doc.y = y + BAR_HEIGHT + GAP;
  }
  const bottom = doc.y;
  guides(segmentTop, bottom);
  doc
    .font("Helvetica")
    .fontSize(7)
    .fillColor(COLORS.muted)
    // Reference to the right of its line, threshold to the left of its own: the two lines sit
    // close together and centred labels ran into each other.
    .text("reference", xOf(1) + 2, bottom + 1, { width: 40, lineBreak: false })
    .text(`threshold ${Math.round(threshold * 100)}%`, xOf(threshold) - 60, bottom + 1, {
      width: 56,
      align: "right",
      lineBreak: false,
    });
  doc.x = x0;
  doc.y = bottom + 14;
}

export interface ValueBar {
  label: string;
  value: number;
  caption: string;
}

/** Plain magnitude bars on a shared scale starting at zero (e.g. bandwidth per node). */
export function valueChart(doc: Doc, title: string, bars: ValueBar[], axisLabel: string): void {
  if (!bars.length) return;
  ensureSpace(doc, Math.min(24 + bars.length * (BAR_HEIGHT + GAP) + 16, 400));
  const x0 = doc.page.margins.left;
  const plotX = x0 + LABEL_WIDTH;
  const plotW = contentWidth(doc) - LABEL_WIDTH - VALUE_WIDTH;
  const max = Math.max(...bars.map((b) => b.value), 1e-9);
  doc.font("Helvetica-Bold").fontSize(9.5).fillColor(COLORS.text).text(title, x0, doc.y);
  doc.moveDown(0.3);
  for (const b of bars) {
    ensureSpace(doc, BAR_HEIGHT + GAP + 14);
    const y = doc.y;
    doc
      .font("Helvetica")
      .fontSize(8)
      .fillColor(COLORS.text)
      .text(b.label, x0, y + 1.5, { width: LABEL_WIDTH - 6, height: 10, ellipsis: true });
    doc
      .rect(plotX, y, Math.max(1, (b.value / max) * plotW), BAR_HEIGHT)
      .fillColor(COLORS.accent)
      .fill();
    doc
      .font("Helvetica")
      .fontSize(7.5)
      .fillColor(COLORS.muted)
      .text(b.caption, plotX + plotW + 6, y + 2, { width: VALUE_WIDTH - 6, height: 10, ellipsis: true });
    doc.y = y + BAR_HEIGHT + GAP;
  }
  doc
    .font("Helvetica")
    .fontSize(7)
    .fillColor(COLORS.muted)
    .text(axisLabel, plotX, doc.y + 1, { width: plotW, align: "center", lineBreak: false });
  doc.x = x0;
  doc.y += 14;
}
