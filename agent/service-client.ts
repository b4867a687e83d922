import { AgentHttpError, type CurrentJob } from "./client";
import type { NodeIdentity } from "./run-node";

/**
 * HTTP client for service mode's own endpoints (/agents/…): enrolling, the long-poll for work,
 * heartbeats. It does not retry: the service loop owns reconnecting (backoff with jitter).
 * Every call has a deadline, so a connection that silently died is noticed.
 */
export interface EnrollAnswer {
  machine_id: number;
  machine_uuid: string;
  machine_credential: string;
  poll_wait_seconds: number;
  offline_after_seconds: number;
}

export type WorkJob = CurrentJob & { token: string };

export class ServiceClient {
  constructor(
    private readonly baseUrl: string,
    private readonly fetchFn: typeof fetch = fetch,
  ) {}

  private async request<T>(
    method: string,
    path: string,
    bearer: string,
    o: { body?: unknown; timeoutMs: number; signal?: AbortSignal },
  ): Promise<T> {
    const signals = [AbortSignal.timeout(o.timeoutMs), ...(o.signal ? [o.signal] : [])];
    const res = await this.fetchFn(`${this.baseUrl.replace(/\/$/, "")}/api/silicon-mark/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${bearer}`,
        "accept-encoding": "identity",
        ...(o.body !== undefined ? { "content-type": "application/json" } : {}),
      },
      body: o.body === undefined ? undefined : JSON.stringify(o.body),
      signal: AbortSignal.any(signals),
    });
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = null;
    }
    if (res.ok) return parsed as T;
    const err = (parsed as { error?: { code?: string; message?: string } } | null)?.error;
    throw new AgentHttpError(res.status, err?.code ?? "HTTP_ERROR", err?.message ?? text.slice(0, 200));
  }

  enroll(enrollToken: string, node: NodeIdentity & { agent_version: string }) {
    const { agent_endpoint: _none, ...body } = node;
    return this.request<EnrollAnswer>("POST", "/agents/enroll", enrollToken, { body, timeoutMs: 30_000 });
  }

  /** Waits up to waitSeconds on the server for a job aimed at this machine. */
  work(credential: string, waitSeconds: number, signal?: AbortSignal) {
    return this.request<{ job: WorkJob | null }>("GET", `/agents/work?wait=${Math.round(waitSeconds)}`, credential, {
      timeoutMs: (waitSeconds + 20) * 1000,
      signal,
    });
  }

  heartbeat(credential: string, state: "idle" | "busy") {
    return this.request<{ status: string }>("POST", "/agents/heartbeat", credential, {
      body: { state },
      timeoutMs: 15_000,
    });
  }
}
