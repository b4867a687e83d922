/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite ships WASM and data files it loads relative to its own module, and pdfkit its font
  // metrics (AFM files); bundling breaks both. pino, prom-client, redis and pg-boss (the
  // background queue, started from instrumentation.ts) keep process-wide state that must not
  // be duplicated per route bundle.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "pglite-prisma-adapter",
    "pg",
    "bcryptjs",
    "pdfkit",
    "pino",
    "prom-client",
    "redis",
    "pg-boss",
  ],
  // Prometheus scrapes /metrics by default.
  async rewrites() {
    return [{ source: "/metrics", destination: "/api/metrics" }];
  },
  // Every response, static files included; the Content-Security-Policy comes from proxy.ts
  // (lib/http/security-headers.ts explains both).
  async headers() {
    const all = [
      { key: "X-Frame-Options", value: "DENY" },
      { key: "X-Content-Type-Options", value: "nosniff" },
      // Job ids and filters live in URLs: other sites learn nothing from our links.
      { key: "Referrer-Policy", value: "same-origin" },
    ];
    return [{ source: "/:path*", headers: all }];
  },
  poweredByHeader: false,
  typedRoutes: false,
};
export default nextConfig;
