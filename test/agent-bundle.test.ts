import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { useFreshDatabase } from "./helpers/db";
import { api, V1 } from "./helpers/api";
import { startHttpServer } from "./helpers/http-server";
import { signedInUser } from "./helpers/users";
import { fakeNvidiaSmiBin, fixtureQuickMarkRunner } from "./helpers/fake-gpu-node";
// @ts-expect-error -- a plain .mjs build script without type declarations
import { buildAgentBundle } from "../scripts/build-agent.mjs";
import { GET as downloadAgent } from "../app/agent/benchboard-agent.mjs/route";

/**
 * The one-file agent as an operator runs it: bundled, copied alone into an empty folder
 * (no node_modules anywhere above it) and started with plain `node` against the API served
 * over real HTTP.
 */
let teardown: () => Promise<void>;
let server: Awaited<ReturnType<typeof startHttpServer>>;
let eng: Awaited<ReturnType<typeof signedInUser>>;
let workDir: string;
let agentFile: string;
let smiBin: string;
let runner: string;
const emptyPath = fs.mkdtempSync(path.join(os.tmpdir(), "empty-path-"));

before(async () => {
  ({ teardown } = await useFreshDatabase());
  server = await startHttpServer();
  eng = await signedInUser("customer_admin", "Bundle Co");
  const built: string = await buildAgentBundle();
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), "agent-run-"));
  agentFile = path.join(workDir, "benchboard-agent.mjs");
  fs.copyFileSync(built, agentFile);
  smiBin = fakeNvidiaSmiBin();
  runner = fixtureQuickMarkRunner(fs.mkdtempSync(path.join(os.tmpdir(), "runner-")));
});
after(async () => {
  await server.close();
  await teardown();
});

async function newJob(body: Record<string, unknown>) {
  const res = await api.post(`${V1}/jobs`, { token: eng.token, body: { name: `bundle ${Math.random()}`, ...body } });
  assert.equal(res.status, 201, res.text);
  return res.body as { id: string; token: string };
}
const detail = async (id: string) => (await api.get(`${V1}/jobs/${id}`, { token: eng.token })).body;

/** Runs the bundle with plain node from the empty folder; PATH decides whether nvidia-smi exists. */
function runAgent(args: string[], opts: { pathDirs: string[] }): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [agentFile, ...args], {
      cwd: workDir,
      env: { PATH: opts.pathDirs.join(path.delimiter), HOME: workDir, NODE_ENV: "test" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 90_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
const connect = (token: string) => ["--url", server.url, "--token", token];

describe("the bundled agent, run with plain node from an empty folder", () => {
  test("needs no node_modules: --help lists every flag, --version answers", async () => {
    const help = await runAgent(["--help"], { pathDirs: [emptyPath] });
    assert.equal(help.code, 0, help.output);
    for (const flag of [
      "--url",
      "--token",
      "--version",
      "--machine-id",
      "--bench-cmd",
      "--runner",
      "--python",
      "--device",
      "--dry-run",
      "--listen-port",
      "--simulate",
    ])
      assert.match(help.output, new RegExp(`${flag}\\b`), flag);
    assert.match((await runAgent(["--version"], { pathDirs: [emptyPath] })).output, /^benchboard-agent \d+\.\d+\.\d+/);
    const bad = await runAgent(["--device", "tpu"], { pathDirs: [emptyPath] });
    assert.equal(bad.code, 2);
    assert.match(bad.output, /--device must be cuda or cpu/);
  });

  test("simulate mode runs a job to completed", async () => {
    const job = await newJob({ benchmarks: ["quick_mark", "cluster_network"], node_count: 2 });
    const run = await runAgent([...connect(job.token), "--simulate", "--seed", "4"], { pathDirs: [emptyPath] });
    assert.equal(run.code, 0, run.output);
    const d = await detail(job.id);
    assert.equal(d.state, "completed");
    assert.equal(d.benchmark_results.cluster_network.results.total_links_tested, 2);
  });

  test("real mode: inventory from nvidia-smi, quick_mark from --runner, the vendor's -api-key flag", async () => {
    const job = await newJob({ benchmarks: ["quick_mark"] });
    const run = await runAgent(["--url", server.url, "-api-key", job.token, "--runner", `quick_mark=${runner}`], {
      pathDirs: [smiBin, emptyPath],
    });
    assert.equal(run.code, 0, run.output);
    const d = await detail(job.id);
    assert.equal(d.state, "completed");
    const task = d.tasks[0];
    assert.equal(task.gpu_model, "NVIDIA H200");
    assert.equal(task.gpu_count, 1);
    const gpu = task.inventory.gpus[0];
    assert.equal(gpu.uuid, "GPU-82e370f5-dacc-6cbd-525d-bc2c5f136f21");
    assert.equal(gpu.serial, "1652826070719");
    assert.equal(gpu.pcie_gen_max, 5);
    assert.equal(gpu.pcie_width_current, 16);
    assert.equal(gpu.clocks_max_sm_mhz, 1980);
    assert.equal(gpu.power_limit_watts, 700);
    assert.equal(gpu.ecc_mode, "Enabled");
    assert.equal(task.inventory.cuda_version, "13.0");
    assert.equal(task.inventory.driver_version, "580.159.04");
    assert.ok(task.inventory.cpu_cores > 0 && task.inventory.memory_gb >= 0 && task.inventory.kernel);
    assert.equal(task.benchmark_results.quick_mark.results.test_results[0].bf16_tflops, 768.7);
    // The fleet keeps the same inventory for the machine.
    const machines = await api.get(`${V1}/machines`, { token: eng.token });
    const machine = machines.body.results.find((m: { machine_uuid: string }) => m.machine_uuid === task.machine_uuid);
    const one = await api.get(`${V1}/machines/${machine.id}`, { token: eng.token });
    assert.equal(one.body.inventory.gpus[0].serial, "1652826070719");
  });

  test("three agents on 127.0.0.1 measure all 6 links of a quick_mark + cluster_network job", async () => {
    const job = await newJob({
      benchmarks: ["quick_mark", { benchmark_id: "cluster_network", config: { message_size_mb: 4, iterations: 20 } }],
      node_count: 3,
    });
    const runs = await Promise.all(
      ["node-a", "node-b", "node-c"].map((id) =>
        runAgent(
          [
            ...connect(job.token),
            "--machine-id",
            id,
            "--listen-address",
            "127.0.0.1",
            "--runner",
            `quick_mark=${runner}`,
          ],
          { pathDirs: [smiBin, emptyPath] },
        ),
      ),
    );
    for (const r of runs) assert.equal(r.code, 0, r.output);
    const d = await detail(job.id);
    assert.equal(d.state, "completed", JSON.stringify(d.failed_message));
    const net = d.benchmark_results.cluster_network.results;
    assert.equal(net.total_links_tested, 6);
    assert.equal(net.node_count, 3);
    assert.ok(net.min_bandwidth_gbps > 0 && net.avg_bandwidth_gbps >= net.min_bandwidth_gbps);
    assert.ok(net.avg_latency > 0);
    const links = new Set(net.measurements.map((m: { source: string; target: string }) => `${m.source}>${m.target}`));
    assert.equal(links.size, 6, "every ordered pair once: the three nodes share a hostname but not a label");
    for (const m of net.measurements) assert.ok(m.bandwidth_gbps > 0 && m.latency_us > 0 && m.source !== m.target);
    const node = d.tasks[0].benchmark_results.cluster_network.results;
    assert.equal(node.total_links_tested, 2);
    assert.match(node.sources.bandwidth_gbps, /TCP bulk transfer/);
    assert.match(node.sources.latency_us, /ping-pong/);
  });

  test("a node without nvidia-smi registers, fails clearly and does not hold up the job", async () => {
    const job = await newJob({ benchmarks: ["quick_mark"], node_count: 2 });
    const [bare, gpu] = await Promise.all([
      runAgent([...connect(job.token), "--machine-id", "bare-node"], { pathDirs: [emptyPath] }),
      runAgent([...connect(job.token), "--machine-id", "gpu-node", "--runner", `quick_mark=${runner}`], {
        pathDirs: [smiBin, emptyPath],
      }),
    ]);
    assert.equal(bare.code, 3, bare.output);
    assert.match(bare.output, /nvidia-smi not found.*Install the NVIDIA driver/);
    assert.equal(gpu.code, 0, gpu.output);
    const d = await detail(job.id);
    assert.equal(d.state, "completed_with_warnings");
    const failed = d.tasks.find((t: { machine_uuid: string }) => t.machine_uuid === "bare-node");
    assert.equal(failed.state, "failed");
    assert.match(failed.failed_message, /nvidia-smi not found/);
    assert.equal(failed.benchmark_results.quick_mark.state, "failed");
    assert.match(failed.benchmark_results.quick_mark.error_message, /Install the NVIDIA driver/);
  });

  test("--dry-run prints the inventory and plan, checks prerequisites and registers nothing", async () => {
    const job = await newJob({ benchmarks: ["quick_mark", "cluster_network"], node_count: 2 });
    const ok = await runAgent([...connect(job.token), "--dry-run", "--runner", `quick_mark=${runner}`], {
      pathDirs: [smiBin, emptyPath],
    });
    assert.equal(ok.code, 0, ok.output);
    assert.match(ok.output, /GPUs: 1 × NVIDIA H200, driver 580\.159\.04, CUDA 13\.0/);
    assert.match(
      ok.output,
      /\[0\] NVIDIA H200 GPU-82e370f5-dacc-6cbd-525d-bc2c5f136f21 serial 1652826070719, 143771 MiB, PCIe gen 5\/5 x16\/x16/,
    );
    assert.match(ok.output, /1\. ✓ quick_mark: runs `.*fixture-quick-mark quick_mark '<config>'`/);
    assert.match(ok.output, /2\. ✓ cluster_network: built-in/);
    assert.match(ok.output, /ready; nothing was registered/);

    const missing = await runAgent([...connect(job.token), "--dry-run", "--python", "/nonexistent/python3"], {
      pathDirs: [emptyPath],
    });
    assert.equal(missing.code, 3, missing.output);
    assert.match(missing.output, /✗ GPUs: nvidia-smi not found/);
    assert.match(
      missing.output,
      /1\. ✗ quick_mark: built-in runner: \/nonexistent\/python3 quick_mark\.py --device cuda — \/nonexistent\/python3 not found/,
    );
    assert.match(missing.output, /2 prerequisite\(s\) missing; nothing was registered/);
    // The embedded runner itself answers --check (CPU smoke mode: no GPU needed).
    const python = process.env.QUICK_MARK_TEST_PYTHON ?? "/usr/bin/python3";
    const cpu = await runAgent([...connect(job.token), "--dry-run", "--device", "cpu", "--python", python], {
      pathDirs: [emptyPath],
    });
    assert.equal(cpu.code, 0, cpu.output);
    assert.match(cpu.output, /! GPUs: nvidia-smi not found.*not needed with --device cpu/);
    assert.match(cpu.output, /1\. ✓ quick_mark: built-in runner: .*python3 quick_mark\.py --device cpu — torch [\d.]+/);
    const d = await detail(job.id);
    assert.equal(d.current_nodes, 0);
    assert.equal(d.state, "created");
  });

  test("GET /agent/benchboard-agent.mjs serves the bundle without sign-in, with its SHA-256", async () => {
    const res = await downloadAgent(new Request(`${server.url}/agent/benchboard-agent.mjs`));
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type")!, /^text\/javascript/);
    const body = Buffer.from(await res.arrayBuffer());
    const sha256 = createHash("sha256").update(body).digest("hex");
    assert.equal(
      sha256,
      createHash("sha256").update(fs.readFileSync(agentFile)).digest("hex"),
      "the file the tests ran",
    );
    assert.equal(res.headers.get("x-content-sha256"), sha256);
    assert.equal(res.headers.get("etag"), `"sha256-${sha256}"`);
    const again = await downloadAgent(
      new Request(`${server.url}/agent/benchboard-agent.mjs`, { headers: { "if-none-match": `"sha256-${sha256}"` } }),
    );
    assert.equal(again.status, 304);
  });
});
