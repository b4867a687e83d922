import type { JobListApiQuery } from "./job-filters";

/**
 * Every React Query key of the dashboard, in one place, so a mutation invalidates exactly
 * what it changes and no two components spell the same key differently. Keys are prefixes of
 * one another where invalidation should cascade: `jobs.all` covers every list, the tags and
 * the badge count.
 */
export const queryKeys = {
  jobs: {
    all: ["jobs"] as const,
    list: (q: JobListApiQuery) => ["jobs", "list", q] as const,
    tags: ["jobs", "tags"] as const,
    stats: ["jobs", "stats"] as const,
    performance: (q: unknown) => ["jobs", "performance", q] as const,
  },
  job: {
    detail: (id: string) => ["job", id] as const,
    results: (id: string, version: unknown) => ["job-results", id, version] as const,
    performance: (id: string, version: unknown) => ["job-performance", id, version] as const,
  },
  benchmarks: ["benchmarks"] as const,
  users: {
    all: ["users"] as const,
    list: (filters: unknown) => ["users", filters] as const,
  },
  customers: ["customers"] as const,
  enrollmentTokens: ["enrollment-tokens"] as const,
  enrolledMachines: ["machines", "enrolled"] as const,
  schedules: ["schedules"] as const,
  webhooks: {
    all: ["webhooks"] as const,
    deliveries: (id: number) => ["webhooks", id, "deliveries"] as const,
  },
  machines: {
    all: ["machines"] as const,
    list: (filters: unknown) => ["machines", filters] as const,
    suspect: ["machines", "suspect"] as const,
    heatmap: ["machines", "heatmap"] as const,
    details: ["machine"] as const,
    detail: (id: string | number) => ["machine", id] as const,
  },
  gpuPrices: ["gpu-prices"] as const,
  compare: (q: unknown) => ["compare", q] as const,
};
