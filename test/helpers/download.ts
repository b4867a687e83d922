import { routeRequest } from "./api";

/** GET through the real route handlers, keeping the body as bytes (PDFs, archives). */
export async function download(urlPath: string, token: string) {
  const res = await routeRequest(
    new Request(new URL(urlPath, "http://localhost"), { headers: { authorization: `Bearer ${token}` } }),
  );
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}
