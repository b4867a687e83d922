type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(h: HeaderSource, name: string): string | undefined {
  if (h instanceof Headers) return h.get(name) ?? undefined;
  const v = h[name];
  return Array.isArray(v) ? v.join(",") : v;
}

/**
 * The address a request came from, for per-address rate limits and logs. Next.js sets
 * X-Forwarded-For to the socket's address when no proxy did; behind a reverse proxy that
 * appends to X-Forwarded-For (nginx's $proxy_add_x_forwarded_for), the last entry is the
 * address the proxy saw. Earlier entries are whatever the client claimed and are ignored.
 */
export function clientIp(headers: HeaderSource): string {
  const xff = header(headers, "x-forwarded-for");
  const last = xff?.split(",").pop()?.trim();
  return last || header(headers, "x-real-ip")?.trim() || "unknown";
}
