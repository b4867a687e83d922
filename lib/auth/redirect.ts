/**
 * Where the dashboard may send a browser after sign-in (`callbackUrl`): only a path on this
 * origin. Browsers are lenient in ways a prefix check misses — `\` counts as `/`
 * (`/\evil.example` is `//evil.example`, another host), tabs and newlines are dropped
 * (`/<TAB>/evil`), and `/./` or `..` segments can normalise into `//` — so the value is
 * refused when it holds any control character or backslash, then resolved the way a browser
 * would against a placeholder origin; it is accepted only if it stays on that origin and its
 * normalised path does not start with `//`. Pure, so the sign-in page, the sign-in form and
 * next-auth's redirect callback share it.
 */
const PLACEHOLDER = "http://placeholder.invalid";

export function safeRedirectPath(value: unknown, fallback = "/jobs"): string {
  if (typeof value !== "string" || value.length > 2048) return fallback;
  if (!value.startsWith("/") || /[\u0000-\u001f\u007f\\]/.test(value)) return fallback;
  let url: URL;
  try {
    url = new URL(value, PLACEHOLDER);
  } catch {
    return fallback;
  }
  if (url.origin !== PLACEHOLDER) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  return path.startsWith("//") || path.startsWith("/\\") ? fallback : path;
}

/** next-auth's redirect callback: a same-origin path or URL, anything else goes to the dashboard. */
export function sameOriginRedirect({ url, baseUrl }: { url: string; baseUrl: string }): string {
  const base = new URL(baseUrl);
  if (url.startsWith("/")) return `${base.origin}${safeRedirectPath(url, "/")}`;
  try {
    const absolute = new URL(url);
    if (absolute.origin === base.origin)
      return `${base.origin}${safeRedirectPath(`${absolute.pathname}${absolute.search}${absolute.hash}`, "/")}`;
  } catch {
    /* not a URL: fall through to the dashboard */
  }
  return base.origin;
}
