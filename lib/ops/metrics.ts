import { Gauge } from "prom-client";
import type { Db } from "../db/client";
import type { Caller } from "../auth/caller";
import { processSingleton } from "./global";
import { jobMetrics } from "./job-metrics";
import { requestLatency, requestMetrics, requestThroughput } from "./request-metrics";

/**
 * GET /metrics: the caller's jobs over 24 h, plus this instance's request
 * latency and throughput.
 */
export async function metricsSummary(db: Db, caller: Caller) {
  const jobs = await jobMetrics(db, caller);
  const latency = requestLatency();
  const requests = requestThroughput();
  return {
    jobs: {
      total_submitted_24h: jobs.total_submitted_24h,
      total_completed_24h: jobs.total_completed_24h,
      total_failed_24h: jobs.total_failed_24h,
      total_aborted_24h: jobs.total_aborted_24h,
      success_rate: jobs.success_rate,
    },
    latency: {
      request_p50_ms: latency.p50_ms,
      request_p99_ms: latency.p99_ms,
      request_samples: latency.samples,
      execution_p50_seconds: jobs.execution_p50_seconds,
      execution_p99_seconds: jobs.execution_p99_seconds,
    },
    throughput: {
      jobs_per_second: jobs.jobs_per_second,
      peak_jobs_per_second: jobs.peak_jobs_per_second,
      requests_per_second: requests.requests_per_second,
      peak_requests_per_second: requests.peak_requests_per_second,
    },
  };
}

const jobGauge = () =>
  processSingleton(
    "jobs-gauge",
    () =>
      new Gauge({
        name: "benchboard_jobs_24h",
        help: "Jobs over the last 24 hours by outcome (submitted, completed, failed, aborted), all customers",
        labelNames: ["outcome"] as const,
        registers: [requestMetrics().registry],
      }),
  );

/** Prometheus text exposition: process, request and (all customers') job metrics. */
export async function prometheusText(db: Db): Promise<{ contentType: string; text: string }> {
  const jobs = await jobMetrics(db, null);
  const gauge = jobGauge();
  gauge.set({ outcome: "submitted" }, jobs.total_submitted_24h);
  gauge.set({ outcome: "completed" }, jobs.total_completed_24h);
  gauge.set({ outcome: "failed" }, jobs.total_failed_24h);
  gauge.set({ outcome: "aborted" }, jobs.total_aborted_24h);
  const { registry } = requestMetrics();
  return { contentType: registry.contentType, text: await registry.metrics() };
}
