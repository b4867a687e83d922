# Benchboard production image (README "Scale out"): `npm run build` (the Next.js production
# build and the bundled agent the dashboard serves), served by `next start` as a non-root user.
#   docker build -t benchboard .
#   docker run -e DATABASE_URL=postgres://… -e AUTH_SECRET=… -p 3000:3000 benchboard
# No `# syntax=` line: BuildKit would fetch that frontend from Docker Hub on every build, which
# fails where only a private registry or a local image store is reachable; nothing here needs
# more than the built-in frontend. NODE_IMAGE may name a mirror or a locally loaded image.
ARG NODE_IMAGE=node:24-bookworm-slim

# Dependencies, with dev dependencies: the build needs TypeScript, esbuild and ESLint's config.
# The postinstall step generates the Prisma client from prisma/schema.prisma.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
COPY scripts/prisma-generate.mjs scripts/
COPY prisma/schema.prisma prisma/
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY . .
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    BENCHBOARD_DATA_DIR=/data \
    BENCHBOARD_DEMO=0
# Code and dependencies stay owned by root (read-only to the server); the server writes only
# its data folder and Next.js's cache. The sources come along because the operator scripts
# (db:migrate, user:create) run from them through tsx.
COPY --from=build /app /app
RUN mkdir -p /data /app/.next/cache && chown node:node /data /app/.next/cache
USER node
EXPOSE 3000
VOLUME ["/data"]
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Migrate first (replicas starting together are safe: lib/db/migrate.ts takes an advisory
# lock), then serve; exec so next start receives the container's stop signal.
CMD ["sh", "-c", "node_modules/.bin/tsx scripts/db-migrate.ts && exec node_modules/.bin/next start -p \"$PORT\""]
