// Benchboard agent: joins a job as a GPU node and reports results (see HELP in ./options).
// `npm run agent` runs this file; `npm run build:agent` bundles it into one .mjs file.
import { version } from "../package.json";
import { AgentClient } from "./client";
import { HELP, parseAgentArgs, UsageError, type AgentOptions } from "./options";
import { dryRun, runRealNode } from "./real-node";
import type { AgentEvent } from "./run-node";
import { simulateJob } from "./simulate-job";
import { CREDENTIAL_REFUSED, CredentialRefusedError, runService } from "./service";

function progressPrinter(total: () => number) {
  let done = 0;
  return (e: AgentEvent) => {
    const node = e.node.slice(0, 8);
    if (e.type === "registered") console.log(`  + node ${node} joined (task ${e.taskId})`);
    if (e.type === "benchmark")
      console.log(
        `  · node ${node} ${e.benchmark} [${e.step}/${e.steps}] ${e.state}${e.attempt > 1 ? ` (attempt ${e.attempt})` : ""}`,
      );
    if (e.type === "finished")
      console.log(`  ✓ node ${node} finished: ${e.state} — ${++done}/${total()} nodes done, job ${e.jobState}`);
    if (e.type === "stopped") console.log(`  ■ node ${node} stopped: job is ${e.jobState}`);
  };
}

function clientFor(opts: AgentOptions): AgentClient {
  if (!opts.url) throw new UsageError("--url is required (the dashboard's base URL)");
  if (!opts.token) throw new UsageError("--token is required (the job token shown when the job was created)");
  return new AgentClient({
    baseUrl: opts.url,
    token: opts.token,
    onRetry: ({ attempt, error, path }) => console.error(`  ! ${path}: ${error}; retry ${attempt} with backoff`),
  });
}

async function simulate(client: AgentClient, opts: AgentOptions, nodeCount: number): Promise<number> {
  const nodes = opts.sim.nodes ?? nodeCount;
  if (opts.sim.degraded > nodes) throw new UsageError(`--degraded must be at most --nodes (${nodes})`);
  const result = await simulateJob(client, {
    gpuModel: opts.sim.gpu,
    nodes,
    degraded: opts.sim.degraded,
    seed: opts.sim.seed ?? Date.now() % 100000,
    gpuCount: opts.sim.gpuCount,
    failures: opts.sim.failures,
    onEvent: progressPrinter(() => nodes),
  });
  const stopped = result.outcomes.filter((o) => o.state === "stopped").length;
  console.log(`Done: ${result.outcomes.length - stopped} node(s) ran, job is ${(await client.currentJob()).state}`);
  return 0;
}

/** Service mode until SIGTERM/SIGINT (systemd stop, Slurm epilog): 0 when stopped, 4 when refused. */
async function service(opts: AgentOptions): Promise<number> {
  const stop = new AbortController();
  for (const sig of ["SIGTERM", "SIGINT"] as const) process.once(sig, () => stop.abort());
  try {
    await runService(opts, version, console.log, { signal: stop.signal });
    console.log("Stopped.");
    return 0;
  } catch (err) {
    if (err instanceof CredentialRefusedError) {
      console.error(`error: ${err.message}`);
      return CREDENTIAL_REFUSED;
    }
    throw err;
  }
}

async function main(argv: string[]): Promise<number> {
  const opts = parseAgentArgs(argv);
  if (opts.help) return (void console.log(HELP), 0);
  if (opts.version) return (void console.log(`benchboard-agent ${version}`), 0);
  if (opts.command === "service") return service(opts);
  if (opts.dryRun) {
    const job = opts.url && opts.token ? await clientFor(opts).currentJob() : null;
    return dryRun(opts, job, console.log);
  }
  const client = clientFor(opts);
  const job = await client.currentJob();
  console.log(
    `Job ${job.id} "${job.name}" (${job.state}), ${job.node_count} node(s): ${job.benchmark_sequence.map((s) => s.benchmark_id).join(", ")}`,
  );
  if (opts.simulate) return simulate(client, opts, job.node_count);
  // Ctrl-C or a scheduler's SIGTERM stops the running benchmark too and fails the node (the
  // job does not wait for it); a second signal exits at once.
  const stop = new AbortController();
  for (const sig of ["SIGTERM", "SIGINT"] as const)
    process.once(sig, () => {
      console.log(`${sig}: stopping the benchmark and reporting this node as failed`);
      stop.abort();
      process.once(sig, () => process.exit(130));
    });
  const status = await runRealNode(
    client,
    job,
    opts,
    console.log,
    progressPrinter(() => 1),
    stop.signal,
  );
  console.log(`Done: job is ${(await client.currentJob()).state}${status ? ` (exit ${status})` : ""}`);
  return status;
}

main(process.argv.slice(2)).then(
  (status) => process.exit(status),
  (err) => {
    console.error(`error: ${(err as Error).message}`);
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);
