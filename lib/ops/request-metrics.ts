import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { processSingleton } from "./global";

const RING = 4096; // latest request durations kept for the JSON p50/p99
const SECONDS = 60; // per-second request counts kept for throughput

interface RequestMetrics {
  registry: Registry;
  duration: Histogram<"method" | "route" | "status">;
  rateLimited: Counter<"policy">;
  durations: Float64Array;
  recorded: number;
  perSecond: Uint32Array;
  perSecondAt: Float64Array;
}

/**
 * Request metrics of this instance: a Prometheus histogram (route templates as labels, so
 * the series stay few) plus a ring of recent durations and per-second counts for the JSON
 * summary. Recording is a few array writes and one histogram observation per request.
 */
export function requestMetrics(): RequestMetrics {
  return processSingleton("request-metrics", () => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix: "benchboard_" });
    return {
      registry,
      duration: new Histogram({
        name: "benchboard_http_request_duration_seconds",
        help: "API request duration by method, route template and status",
        labelNames: ["method", "route", "status"] as const,
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
        registers: [registry],
      }),
      rateLimited: new Counter({
        name: "benchboard_rate_limited_total",
        help: "Requests answered 429 RATE_LIMITED, by policy",
        labelNames: ["policy"] as const,
        registers: [registry],
      }),
      durations: new Float64Array(RING),
      recorded: 0,
      perSecond: new Uint32Array(SECONDS),
      perSecondAt: new Float64Array(SECONDS),
    };
  });
}

export function recordRequest(
  method: string,
  route: string,
  status: number,
  durationMs: number,
  nowMs = Date.now(),
): void {
  const m = requestMetrics();
  m.duration.observe({ method, route, status: String(status) }, durationMs / 1000);
  m.durations[m.recorded++ % RING] = durationMs;
  const second = Math.floor(nowMs / 1000);
  const slot = second % SECONDS;
  if (m.perSecondAt[slot] !== second) {
    m.perSecondAt[slot] = second;
    m.perSecond[slot] = 0;
  }
  m.perSecond[slot]++;
}

function quantile(sorted: Float64Array, q: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

/** p50/p99 over the latest requests of this instance, in milliseconds. */
export function requestLatency(): { p50_ms: number | null; p99_ms: number | null; samples: number } {
  const m = requestMetrics();
  const n = Math.min(m.recorded, RING);
  const sorted = m.durations.slice(0, n).sort();
  const round = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);
  return { p50_ms: round(quantile(sorted, 0.5)), p99_ms: round(quantile(sorted, 0.99)), samples: n };
}

/** Requests per second of this instance over the last minute, and its busiest second. */
export function requestThroughput(nowMs = Date.now()): {
  requests_per_second: number;
  peak_requests_per_second: number;
} {
  const m = requestMetrics();
  const now = Math.floor(nowMs / 1000);
  let total = 0;
  let peak = 0;
  for (let i = 0; i < SECONDS; i++) {
    if (now - m.perSecondAt[i] < SECONDS) {
      total += m.perSecond[i];
      peak = Math.max(peak, m.perSecond[i]);
    }
  }
  return { requests_per_second: Math.round((total / SECONDS) * 100) / 100, peak_requests_per_second: peak };
}
