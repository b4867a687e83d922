import PDFDocument from "pdfkit";

/**
 * pdfkit plumbing shared by the job and node reports: an A4 document in the built-in
 * Helvetica (no font files to ship), page-break aware helpers, and rendering to a buffer.
 */
export type Doc = PDFKit.PDFDocument;

export const COLORS = {
  text: "#1f2933",
  muted: "#616e7c",
  rule: "#cbd2d9",
  ok: "#2f9e44",
  bad: "#e03131",
  // Amber, like the dashboard's warning badge: a drop against the machine's own history is a
  // warning, not the fleet failure red stands for, and not the grey of "no verdict".
  regressed: "#e8590c",
  unknown: "#868e96",
  accent: "#1c7ed6",
  reference: "#212529",
};

export const MARGIN = 48;

export function createReportDocument(title: string): Doc {
  return new PDFDocument({
    size: "A4",
    margin: MARGIN,
    bufferPages: true,
    info: { Title: title, Author: "Benchboard", Creator: "Benchboard" },
  });
}

/** Draws into the document and resolves with the finished PDF bytes. */
export function renderToBuffer(doc: Doc, draw: (doc: Doc) => void | Promise<void>): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on("data", (c: Buffer) => chunks.push(c));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
    Promise.resolve()
      .then(() => draw(doc))
      .then(() => doc.end(), reject);
  });
}

/**
 * pdfkit draws synchronously; a 256-node report takes seconds. Long drawings call this
 * between sections so other requests are served meanwhile.
 */
export const yieldToEventLoop = () => new Promise<void>((r) => setImmediate(r));

export const contentWidth = (doc: Doc) => doc.page.width - doc.page.margins.left - doc.page.margins.right;

/** Starts a new page when fewer than `height` points are left, so blocks are not split. */
export function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > doc.page.height - doc.page.margins.bottom) doc.addPage();
}

export function heading(doc: Doc, text: string, size = 13): void {
  ensureSpace(doc, size * 3);
  doc.moveDown(0.6);
  doc.font("Helvetica-Bold").fontSize(size).fillColor(COLORS.text).text(text, doc.page.margins.left, doc.y);
  doc.moveDown(0.3);
}

// The built-in Helvetica encodes WinAnsi only; these signs of the verdicts' reasons are not in
// it and would print as stray characters.
const NOT_WIN_ANSI: [RegExp, string][] = [
  [/≤/g, "<="],
  [/≥/g, ">="],
  [/−/g, "-"],
  [/σ/g, "sigma"],
];

export function paragraph(doc: Doc, text: string, color = COLORS.muted): void {
  const printable = NOT_WIN_ANSI.reduce((t, [from, to]) => t.replace(from, to), text);
  doc
    .font("Helvetica")
    .fontSize(9)
    .fillColor(color)
    .text(printable, doc.page.margins.left, doc.y, { width: contentWidth(doc) });
}

/** Label/value pairs in two columns. */
export function keyValues(doc: Doc, rows: [string, string][]): void {
  const x = doc.page.margins.left;
  for (const [k, v] of rows) {
    ensureSpace(doc, 14);
    const y = doc.y;
    doc.font("Helvetica-Bold").fontSize(9).fillColor(COLORS.muted).text(k, x, y, { width: 110 });
    doc
      .font("Helvetica")
      .fillColor(COLORS.text)
      .text(v, x + 115, y, { width: contentWidth(doc) - 115 });
    doc.y = Math.max(doc.y, y + 13);
  }
}

export interface Column {
  header: string;
  /** Fraction of the content width. */
  width: number;
  align?: "left" | "right";
}

/** A simple table; the header repeats after a page break. Cells may carry a color. */
export function table(doc: Doc, columns: Column[], rows: (string | { text: string; color: string })[][]): void {
  const x0 = doc.page.margins.left;
  const total = contentWidth(doc);
  const rowHeight = 14;
  const drawRow = (cells: (string | { text: string; color: string })[], bold: boolean) => {
    ensureSpace(doc, rowHeight + 2);
    const y = doc.y;
    let x = x0;
    columns.forEach((c, i) => {
      const cell = cells[i] ?? "";
      const text = typeof cell === "string" ? cell : cell.text;
      const color = typeof cell === "string" ? (bold ? COLORS.muted : COLORS.text) : cell.color;
      const w = c.width * total;
      // A fixed height with ellipsis keeps every cell on one line (pdfkit wraps otherwise).
      doc
        .font(bold ? "Helvetica-Bold" : "Helvetica")
        .fontSize(8)
        .fillColor(color)
        .text(text, x + 2, y + 3, { width: w - 4, height: 10, align: c.align ?? "left", ellipsis: true });
      x += w;
    });
    doc
      .moveTo(x0, y + rowHeight)
      .lineTo(x0 + total, y + rowHeight)
      .lineWidth(0.5)
      .strokeColor(COLORS.rule)
      .stroke();
    doc.y = y + rowHeight;
  };
  drawRow(
    columns.map((c) => c.header),
    true,
  );
  for (const r of rows) {
    if (doc.y + rowHeight + 2 > doc.page.height - doc.page.margins.bottom) {
      doc.addPage();
      drawRow(
        columns.map((c) => c.header),
        true,
      );
    }
    drawRow(r, false);
  }
  doc.x = x0;
  doc.moveDown(0.5);
}

/** Footer with page numbers, written once all pages exist. */
export function pageFooters(doc: Doc, label: string): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    // Writing inside the bottom margin would otherwise trigger an automatic page break.
    doc.page.margins.bottom = 0;
    doc
      .font("Helvetica")
      .fontSize(7.5)
      .fillColor(COLORS.muted)
      .text(`${label} - page ${i - range.start + 1} of ${range.count}`, doc.page.margins.left, doc.page.height - 30, {
        width: contentWidth(doc),
        align: "center",
        lineBreak: false,
      });
    doc.page.margins.bottom = bottom;
  }
}
