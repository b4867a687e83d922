/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite ships WASM and data files it loads relative to its own module; bundling breaks that.
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter", "pg", "bcryptjs", "pino", "prom-client", "redis"],
  // Prometheus scrapes /metrics by default.
  async rewrites() {
    return [{ source: "/metrics", destination: "/api/metrics" }];
  },
  poweredByHeader: false,
  typedRoutes: false,
};
export default nextConfig;
