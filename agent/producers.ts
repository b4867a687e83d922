import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { BenchmarkOutcome, Producer } from "./run-node";

/**
 * Benchmark programs the agent runs on a real node. Each prints one JSON object on stdout:
 * {"state":"completed","results":{…}} or {"state":"failed","error_message":"…"}; progress
 * goes to stderr. Exit status 3 means a prerequisite is missing (nothing to retry).
 */
export const PREREQUISITE_MISSING = 3;

// The bundle defines this as the runner's source text; `npm run agent` reads the file instead.
declare const __QUICK_MARK_PY__: string | undefined;

export function quickMarkSource(): string {
  if (typeof __QUICK_MARK_PY__ === "string") return __QUICK_MARK_PY__;
  return fs.readFileSync(new URL("./runners/quick_mark.py", import.meta.url), "utf8");
}

let writtenRunner: string | null = null;
/** The embedded runner, written once to a private temp folder (removed when the agent exits). */
export function quickMarkFile(): string {
  if (writtenRunner) return writtenRunner;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "benchboard-agent-"));
  writtenRunner = path.join(dir, "quick_mark.py");
  fs.writeFileSync(writtenRunner, quickMarkSource());
  process.once("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
  return writtenRunner;
}

export interface RunnerOptions {
  benchCmd?: string;
  runners: Record<string, string>;
  python: string;
  device: "cuda" | "cpu";
}

export type RunnerPlan =
  | { benchmark_id: string; kind: "command"; command: string }
  | { benchmark_id: string; kind: "quick_mark"; command: string }
  | { benchmark_id: string; kind: "cluster_network" }
  | { benchmark_id: string; kind: "none" };

/** Who runs a benchmark: --runner ID=CMD, else --bench-cmd, else a built-in runner. */
export function runnerFor(benchmarkId: string, opts: RunnerOptions): RunnerPlan {
  const cmd = opts.runners[benchmarkId] ?? opts.benchCmd;
  if (cmd) return { benchmark_id: benchmarkId, kind: "command", command: cmd };
  if (benchmarkId === "quick_mark")
    return {
      benchmark_id: benchmarkId,
      kind: "quick_mark",
      command: `${opts.python} quick_mark.py --device ${opts.device}`,
    };
  if (benchmarkId === "cluster_network") return { benchmark_id: benchmarkId, kind: "cluster_network" };
  return { benchmark_id: benchmarkId, kind: "none" };
}

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
  error?: string;
  /** Killed because it ran past timeoutMs. */
  timedOut?: boolean;
  /** Stopped because `signal` aborted (the job ended, or the agent is stopping). */
  stopped?: boolean;
}

/** How long a stopped program may take to exit on SIGTERM (freeing GPU memory) before SIGKILL. */
const STOP_GRACE_MS = 5_000;

/** Runs a program without blocking the event loop (heartbeats and the network listener go on). */
export function runProcess(
  file: string,
  args: string[],
  onStderrLine?: (line: string) => void,
  timeoutMs?: number,
  signal?: AbortSignal,
): Promise<ProcessResult> {
  return new Promise((resolve) => {
    // Its own process group, so a timeout or a stop ends the program and everything it started.
    const child = spawn(file, args, { stdio: ["ignore", "pipe", "pipe"], detached: true });
    let timedOut = false;
    let stopped = false;
    const killGroup = (sig: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, sig);
      } catch {
        child.kill(sig);
      }
    };
    const timer = timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          killGroup("SIGKILL");
        }, timeoutMs)
      : undefined;
    let grace: NodeJS.Timeout | undefined;
    const onAbort = () => {
      if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
      stopped = true;
      killGroup("SIGTERM");
      grace = setTimeout(() => killGroup("SIGKILL"), STOP_GRACE_MS);
    };
    if (signal?.aborted) queueMicrotask(onAbort);
    else signal?.addEventListener("abort", onAbort, { once: true });
    const done = () => {
      clearTimeout(timer);
      clearTimeout(grace);
      signal?.removeEventListener("abort", onAbort);
    };
    let stdout = "";
    let stderr = "";
    let partial = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => {
      stderr = (stderr + d).slice(-64 * 1024);
      const lines = (partial + d).split(/\r?\n/);
      partial = lines.pop() ?? "";
      for (const l of lines) if (l.trim()) onStderrLine?.(l);
    });
    child.on("error", (err) => {
      done();
      resolve({ code: null, stdout, stderr, error: err.message });
    });
    child.on("close", (code) => {
      done();
      resolve({ code, stdout, stderr, timedOut, stopped });
    });
  });
}

/** The one JSON object a runner prints (tolerates stray lines before it). */
export function parseRunnerOutput(stdout: string): Record<string, unknown> | null {
  const trimmed = stdout.trim();
  for (const candidate of [trimmed, trimmed.slice(trimmed.lastIndexOf("\n{") + 1)]) {
    try {
      const v = JSON.parse(candidate);
      if (v && typeof v === "object" && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch {
      /* try the last line next */
    }
  }
  return null;
}

/** A benchmark config's `timeout` (seconds, SiliconMark's key) bounds its run. */
function timeoutMsOf(config: Record<string, unknown> | null | undefined): number | undefined {
  return typeof config?.timeout === "number" && config.timeout > 0 ? config.timeout * 1000 : undefined;
}

function outcomeOf(label: string, r: ProcessResult, logs: string[]): BenchmarkOutcome {
  if (r.timedOut)
    return { state: "failed", error_message: `${label} ran past the benchmark's timeout and was stopped`, logs };
  if (r.stopped) return { state: "failed", error_message: `${label} was stopped`, logs };
  const out = parseRunnerOutput(r.stdout);
  const fatal = r.code === PREREQUISITE_MISSING;
  if (out && out.state === "completed" && r.code === 0) {
    return { state: "completed", results: (out.results as Record<string, unknown>) ?? null, logs };
  }
  const message =
    (typeof out?.error_message === "string" && out.error_message) ||
    (r.error
      ? `${label} could not start: ${r.error}`
      : `${label} exited ${r.code}${out ? "" : " without printing a JSON result"}: ${r.stderr.trim().slice(-500)}`);
  return { state: "failed", error_message: message.slice(0, 4000), logs, fatal };
}

/** `CMD <benchmark_id> '<config json>'` through sh, so CMD may carry its own arguments. */
export function commandProducer(cmd: string, onLine?: (line: string) => void): Producer {
  return async (step, _attempt, signal) => {
    const logs: string[] = [];
    const r = await runProcess(
      "/bin/sh",
      ["-c", `${cmd} "$@"`, "sh", step.benchmark_id, JSON.stringify(step.config ?? {})],
      (l) => {
        logs.push(l);
        onLine?.(l);
      },
      timeoutMsOf(step.config),
      signal,
    );
    return outcomeOf(cmd, r, logs.slice(-200));
  };
}

export function quickMarkArgs(config: Record<string, unknown> | null, device: string): string[] {
  const args = ["--device", device];
  if (Array.isArray(config?.gpus) && config.gpus.length) args.push("--gpus", config.gpus.join(","));
  if (typeof config?.duration_seconds === "number") args.push("--duration-seconds", String(config.duration_seconds));
  return args;
}

/** The built-in quick_mark: the embedded PyTorch runner under --python. */
export function builtinQuickMarkProducer(opts: RunnerOptions, onLine?: (line: string) => void): Producer {
  return async (step, _attempt, signal) => {
    const logs: string[] = [];
    const r = await runProcess(
      opts.python,
      [quickMarkFile(), ...quickMarkArgs(step.config, opts.device)],
      (l) => {
        logs.push(l);
        onLine?.(l);
      },
      timeoutMsOf(step.config),
      signal,
    );
    if (r.error) {
      return {
        state: "failed",
        error_message: `${opts.python} not found (${r.error}): install Python 3.9+ with PyTorch (CUDA build), or pass --python PATH`,
        logs,
        fatal: true,
      };
    }
    return outcomeOf("quick_mark.py", r, logs.slice(-200));
  };
}

/** quick_mark.py --check: prerequisites only, nothing measured. */
export async function checkQuickMark(opts: RunnerOptions): Promise<{ ok: boolean; detail: string }> {
  const r = await runProcess(opts.python, [quickMarkFile(), "--check", "--device", opts.device]);
  if (r.error)
    return {
      ok: false,
      detail: `${opts.python} not found: install Python 3.9+ with PyTorch (CUDA build), or pass --python PATH`,
    };
  const out = parseRunnerOutput(r.stdout);
  if (out?.ok === true && r.code === 0)
    return {
      ok: true,
      detail: `torch ${out.torch ?? "?"}, CUDA ${out.cuda ?? "none"}, ${out.gpu_count ?? 0} GPU(s) on ${out.device ?? opts.device}`,
    };
  return {
    ok: false,
    detail:
      typeof out?.error_message === "string"
        ? out.error_message
        : `quick_mark.py --check exited ${r.code}: ${r.stderr.trim().slice(-300)}`,
  };
}

/** Is the program a command line starts with on PATH (or an existing path)? */
export function commandAvailable(cmd: string, pathEnv = process.env.PATH ?? ""): boolean {
  const program = cmd.trim().split(/\s+/)[0] ?? "";
  if (!program) return false;
  if (program.includes("/")) return isExecutable(program);
  return pathEnv.split(path.delimiter).some((dir) => dir && isExecutable(path.join(dir, program)));
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
