/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite ships WASM and data files it loads relative to its own module, and pdfkit its font
  // metrics (AFM files); bundling breaks both. pino, prom-client and redis keep process-wide
  // state that must not be duplicated per route bundle.
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter", "pg", "bcryptjs", "pdfkit", "pino", "prom-client", "redis"],
  // Prometheus scrapes /metrics by default.
  async rewrites() {
    return [{ source: "/metrics", destination: "/api/metrics" }];
  },
  poweredByHeader: false,
  typedRoutes: false,
};
export default nextConfig;
