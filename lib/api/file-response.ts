/**
 * A downloadable body (PDF, archive, export) with its type and a safe filename. `inline`
 * lets browsers show PDFs in place; `attachment` makes them save the file.
 */
export function fileResponse(
  body: BodyInit,
  opts: {
    contentType: string;
    filename: string;
    disposition?: "inline" | "attachment";
    headers?: Record<string, string>;
  },
): Response {
  const safe = opts.filename.replace(/[^\w.-]+/g, "_");
  return new Response(body, {
    status: 200,
    headers: {
      "content-type": opts.contentType,
      "content-disposition": `${opts.disposition ?? "attachment"}; filename="${safe}"`,
      "cache-control": "private, no-store",
      "x-content-type-options": "nosniff",
      ...opts.headers,
    },
  });
}
