/**
 * Security headers of every response. Pages get a Content-Security-Policy with a fresh nonce
 * per request (proxy.ts makes it; Next.js puts it on its own inline scripts, the root layout
 * on the theme script), API responses a policy that allows nothing at all: they are data,
 * never documents to render or frame.
 *
 * - `script-src 'nonce-…' 'strict-dynamic'`: only scripts the server rendered with the nonce,
 *   and the chunks they load, run — an injected `<script>` or event-handler attribute does not.
 * - `style-src 'self' 'unsafe-inline'`: React `style={…}` attributes (and recharts') are inline
 *   styles; nonces cannot cover attributes. Styles cannot run code.
 * - `frame-ancestors 'none'` (+ X-Frame-Options DENY for older browsers): no clickjacking.
 * - `form-action 'self'`, `base-uri 'none'`, `object-src 'none'`: no form or base hijacking.
 *
 * X-Frame-Options DENY, X-Content-Type-Options nosniff and Referrer-Policy same-origin go on
 * every response, static files included, from next.config.mjs `headers()`.
 */
export function pageContentSecurityPolicy(nonce: string, opts: { dev?: boolean } = {}): string {
  return [
    "default-src 'self'",
    // React's dev build evaluates source maps; production never does.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${opts.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

/**
 * The headers of every response. next.config.mjs `headers()` sends them (it cannot import this
 * file; test/agent-listener.test.ts keeps the two lists equal) and the agent listener
 * (lib/http/agent-listener.ts) adds them itself.
 */
export const STATIC_SECURITY_HEADERS: readonly { key: string; value: string }[] = [
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "same-origin" },
];

/** A nonce for one response: 128 random bits, base64. */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}
