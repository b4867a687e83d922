import type { PeersAnswer } from "../lib/agent/schemas";
import type { BatchUpload, BatchAnswer } from "./run-node";

/**
 * HTTP client for the agent protocol (job-token endpoints). Network errors, 5xx and 429
 * are retried with exponential backoff; 4xx answers are final and thrown as AgentHttpError.
 */
export class AgentHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`${status} ${code}: ${message}`);
  }
}

export interface AgentClientOptions {
  baseUrl: string;
  token: string;
  fetch?: typeof fetch;
  retries?: number;
  backoffMs?: number;
  onRetry?: (info: { attempt: number; error: string; path: string }) => void;
}

export type { PeersAnswer };
export type Peer = PeersAnswer["peers"][number];

export interface CurrentJob {
  id: string;
  name: string;
  state: string;
  node_count: number;
  benchmark_sequence: { benchmark_id: string; config: Record<string, unknown> | null; benchmark_name: string }[];
  requirements: { max_retry_count?: number } | null;
  expires_at: string;
  heartbeat_interval_seconds: number;
  /** What the server offers beyond the seed protocol (absent on servers that offer nothing). */
  extensions?: {
    batch_upload?: { path: string; max_results: number; max_log_lines: number };
    join_spread?: { max_ms: number };
  };
}

export class AgentClient {
  private readonly fetchFn: typeof fetch;
  constructor(private readonly opts: AgentClientOptions) {
    this.fetchFn = opts.fetch ?? fetch;
  }

  private async request<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> {
    const url = `${this.opts.baseUrl.replace(/\/$/, "")}/api/silicon-mark/v1${path}`;
    const retries = this.opts.retries ?? 6;
    let delay = this.opts.backoffMs ?? 250;
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await this.fetchFn(url, {
          method,
          // Answers are a few hundred bytes: compressing them costs the server more CPU per
          // upload than it saves on the wire.
          headers: {
            authorization: `Bearer ${this.opts.token}`,
            "accept-encoding": "identity",
            ...(body !== undefined ? { "content-type": "application/json" } : {}),
            ...headers,
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      } catch (err) {
        if (attempt >= retries) throw err;
        this.opts.onRetry?.({ attempt: attempt + 1, error: (err as Error).message, path });
        await sleep(delay);
        delay = Math.min(delay * 2, 10_000);
        continue;
      }
      const text = await res.text();
      const parsed = text ? safeJson(text) : null;
      if (res.ok) return parsed as T;
      if ((res.status >= 500 || res.status === 429) && attempt < retries) {
        this.opts.onRetry?.({ attempt: attempt + 1, error: `HTTP ${res.status}`, path });
        const reset = Number(res.headers.get("retry-after"));
        await sleep(Number.isFinite(reset) && reset > 0 ? reset * 1000 : delay);
        delay = Math.min(delay * 2, 10_000);
        continue;
      }
      const err = (parsed as { error?: { code?: string; message?: string } } | null)?.error;
      throw new AgentHttpError(res.status, err?.code ?? "HTTP_ERROR", err?.message ?? text.slice(0, 200));
    }
  }

  currentJob() {
    return this.request<CurrentJob>("GET", "/jobs/current");
  }
  register(node: Record<string, unknown>) {
    return this.request<{ id: string; state: string }>("POST", "/jobs/current/tasks", node);
  }
  uploadResult(taskId: string, result: Record<string, unknown>, idempotencyKey: string) {
    return this.request<{ id: string }>("POST", `/jobs/current/tasks/${taskId}/results`, result, {
      "idempotency-key": idempotencyKey,
    });
  }
  logs(taskId: string, lines: string[]) {
    return this.request<{ accepted: number }>("POST", `/jobs/current/tasks/${taskId}/logs`, { lines });
  }
  heartbeat(taskId: string, progress?: Record<string, unknown>) {
    return this.request<{ job_state: string; continue: boolean }>("POST", `/jobs/current/tasks/${taskId}/heartbeat`, {
      progress,
    });
  }
  /**
   * Extension: results, log lines and a heartbeat in one request (when GET /jobs/current offers
   * `extensions.batch_upload`). The Idempotency-Key makes a retried batch store its lines once;
   * a part the server refused is thrown as its single call's error would be.
   */
  async batch(taskId: string, batch: BatchUpload, idempotencyKey: string): Promise<BatchAnswer> {
    const answer = await this.request<BatchAnswer>("POST", `/jobs/current/tasks/${taskId}/batch`, batch, {
      "idempotency-key": idempotencyKey,
    });
    for (const part of [answer.logs, ...(answer.results ?? []), answer.heartbeat]) {
      if (part && "error" in part) throw new AgentHttpError(part.status, part.error.code, part.error.message);
    }
    return answer;
  }
  /** Extension: the job's other nodes and their agents' addresses (see the README, cluster_network). */
  peers(taskId: string, benchmarkId: string) {
    return this.request<PeersAnswer>(
      "GET",
      `/jobs/current/tasks/${taskId}/peers?benchmark_id=${encodeURIComponent(benchmarkId)}`,
    );
  }
  finish(taskId: string, state: "completed" | "failed", failedMessage?: string) {
    return this.request<{ job_state: string }>("POST", `/jobs/current/tasks/${taskId}/finish`, {
      state,
      failed_message: failedMessage ?? null,
    });
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
