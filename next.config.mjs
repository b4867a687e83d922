/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite ships WASM and data files it loads relative to its own module, and pdfkit its font
  // metrics (AFM files); bundling breaks both.
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter", "pg", "bcryptjs", "pdfkit"],
  poweredByHeader: false,
  typedRoutes: false,
};
export default nextConfig;
