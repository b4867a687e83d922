// The built-in quick_mark runner (agent/runners/quick_mark.py), run as the agent runs it:
// a child Python process whose stdout is one JSON object and whose exit code says why it failed.
// CI installs Debian's python3-torch (CPU-only), so the GPU path is exercised up to its
// prerequisite check; --device cpu runs every measurement with tiny sizes.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import os from "node:os";
import { describe, test } from "node:test";
import { QUICKMARK_METRICS } from "../lib/performance/metrics";

const RUNNER = path.resolve("agent/runners/quick_mark.py");
// `python3` on PATH may be a shim for an interpreter without torch; the system one has python3-torch.
const PYTHON = process.env.QUICK_MARK_TEST_PYTHON ?? "/usr/bin/python3";
const hasNvidiaSmi = (process.env.PATH ?? "")
  .split(path.delimiter)
  .some((dir) => fs.existsSync(path.join(dir, "nvidia-smi")));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  json: Record<string, unknown>;
}

function runRunner(args: string[], opts: { pythonArgs?: string[]; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(
      PYTHON,
      [...(opts.pythonArgs ?? []), RUNNER, ...args],
      { env: opts.env ?? process.env, timeout: 120_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : NaN) : 0;
        if (err && Number.isNaN(code)) return reject(err);
        const lines = stdout.trim().split("\n");
        assert.equal(lines.length, 1, `exactly one line on stdout, got: ${stdout}\nstderr: ${stderr}`);
        resolve({ code, stdout, stderr, json: JSON.parse(lines[0]) });
      },
    );
  });
}

const PER_GPU_EXTRA = ["power_consumption_watts_mean", "temperature_centigrade_mean"];
// What a CPU does not have: no host<->device link, no power or temperature sensor through NVML.
const NULL_ON_CPU = new Set([
  "host_to_device_bandwidth_gbs",
  "device_to_host_bandwidth_gbs",
  "power_consumption_watts",
  "temperature_centigrade",
  ...PER_GPU_EXTRA,
]);

function assertPositive(value: unknown, what: string) {
  assert.equal(typeof value, "number", `${what} is a number: ${value}`);
  assert.ok(Number.isFinite(value) && (value as number) > 0, `${what} is positive and finite: ${value}`);
}

describe("quick_mark runner", () => {
  // Started together: each run imports torch, which is the slow part.
  const noGpuEnv = { ...process.env, PATH: "/usr/bin:/bin" };
  const started = {
    cpuRun: runRunner(["--device", "cpu", "--duration-seconds", "1"]),
    cpuCheck: runRunner(["--device", "cpu", "--check"]),
    badIndex: runRunner(["--device", "cpu", "--gpus", "0,3", "--duration-seconds", "1"]),
    cudaRun: hasNvidiaSmi ? null : runRunner(["--duration-seconds", "1"], { env: noGpuEnv }),
    cudaCheck: hasNvidiaSmi ? null : runRunner(["--check"], { env: noGpuEnv }),
  };
  // Each test awaits its own run; a rejection is reported there, not as an unhandled one here.
  for (const p of Object.values(started)) p?.catch(() => {});

  test("--device cpu: completes with every quick_mark field per device and in the aggregate", async () => {
    const { code, json, stderr } = await started.cpuRun;
    assert.equal(code, 0, stderr);
    assert.equal(json.state, "completed");
    const results = json.results as Record<string, any>;
    assert.deepEqual(Object.keys(results).sort(), [
      "aggregate_results",
      "device",
      "environment",
      "gpu_count",
      "gpu_model",
      "method",
      "test_results",
    ]);
    assert.equal(results.device, "cpu");
    assert.equal(results.gpu_count, 1);
    assert.equal(typeof results.gpu_model, "string");
    assert.equal(results.test_results.length, 1);

    const row = results.test_results[0];
    assert.deepEqual(
      Object.keys(row).sort(),
      ["gpu_index", "gpu_name", "gpu_uuid", ...QUICKMARK_METRICS, ...PER_GPU_EXTRA].sort(),
    );
    assert.equal(row.gpu_index, 0);
    assert.equal(row.gpu_name, results.gpu_model);
    assert.equal(row.gpu_uuid, null, "a CPU has no GPU UUID to report");
    for (const key of [...QUICKMARK_METRICS, ...PER_GPU_EXTRA]) {
      if (NULL_ON_CPU.has(key)) assert.equal(row[key], null, `${key} is null on a CPU, not invented`);
      else if (key === "fp16_tflops" && row[key] === null)
        assert.match(results.method[key], /not supported/, "fp16 is null only where torch cannot run it on a CPU");
      else assertPositive(row[key], key);
    }

    assert.deepEqual(Object.keys(results.aggregate_results).sort(), [...QUICKMARK_METRICS].sort());
    for (const key of QUICKMARK_METRICS)
      assert.equal(results.aggregate_results[key], row[key], `one device: the aggregate ${key} is its figure`);

    for (const key of QUICKMARK_METRICS)
      assert.ok(
        typeof results.method[key] === "string" && results.method[key].length > 10,
        `method says how ${key} was measured`,
      );
    assert.match(results.method.bf16_tflops, /256x256x256 bf16 matmul/);
    assert.match(results.method.kernel_launch_overhead_us, /launched \d+ times/);
    const launches = Number(/launched (\d+) times/.exec(results.method.kernel_launch_overhead_us)![1]);
    assert.ok(launches >= 10_000, `at least 10,000 launches, got ${launches}`);

    assert.match(results.environment.python, /^3\.\d+/);
    assert.match(results.environment.torch, /^\d+\.\d+/);
    assert.equal(results.environment.cuda, null);
    assert.match(stderr, /device 0/, "progress goes to stderr");
  });

  test("--check --device cpu: prerequisites only", async () => {
    const { code, json } = await started.cpuCheck;
    assert.equal(code, 0);
    assert.deepEqual(Object.keys(json).sort(), ["cuda", "device", "gpu_count", "ok", "torch"]);
    assert.equal(json.ok, true);
    assert.equal(json.device, "cpu");
    assert.equal(json.gpu_count, 1);
  });

  test("a --gpus index the node lacks is a missing prerequisite (exit 3) naming the indices it has", async () => {
    const { code, json } = await started.badIndex;
    assert.equal(code, 3);
    assert.equal(json.state, "failed");
    assert.match(json.error_message as string, /GPU index 3.*one device/);
  });

  test("bad usage exits 2 with the failure object on stdout", async () => {
    for (const args of [
      ["--gpus", "zero"],
      ["--device", "tpu"],
      ["--duration-seconds", "-1"],
    ]) {
      const { code, json } = await runRunner(args);
      assert.equal(code, 2, args.join(" "));
      assert.equal(json.state, "failed");
      assert.ok((json.error_message as string).length > 0);
    }
    const check = await runRunner(["--check", "--gpus", "a,b"]);
    assert.equal(check.code, 2);
    assert.equal(check.json.ok, false);
  });

  test("without PyTorch importable: exit 3 and says what to install", async () => {
    // -S leaves out site-packages/dist-packages, where torch lives; -I ignores PYTHONPATH and
    // the user site. The standard library stays, so the runner itself starts.
    for (const args of [["--device", "cpu"], ["--check"]]) {
      const { code, json } = await runRunner(args, { pythonArgs: ["-S", "-I"] });
      assert.equal(code, 3, args.join(" "));
      const message = (json.error_message as string) ?? "";
      assert.match(message, /PyTorch is not importable/);
      assert.match(message, /pip install torch/);
      assert.match(message, /apt-get install python3-torch/);
    }
  });

  test(
    "--device cuda without a GPU: exit 3 naming the CUDA build and the driver to install",
    { skip: hasNvidiaSmi && "this machine has nvidia-smi" },
    async () => {
      const run = (await started.cudaRun)!;
      assert.equal(run.code, 3);
      assert.equal(run.json.state, "failed");
      const message = run.json.error_message as string;
      assert.match(message, /no usable CUDA GPU/);
      assert.match(message, /nvidia-smi not found/);
      // Debian's python3-torch has no CUDA: then the message must say so and how to get one that has.
      if (/CPU-only/.test(message)) assert.match(message, /CPU-only build.*pip install torch/);

      const check = (await started.cudaCheck)!;
      assert.equal(check.code, 3);
      assert.deepEqual(Object.keys(check.json).sort(), ["error_message", "ok"]);
      assert.equal(check.json.ok, false);
      assert.equal(check.json.error_message, message);
    },
  );

  test("power and temperature: sampled through nvidia-smi where pynvml is missing; peak and mean kept", async () => {
    // A stand-in nvidia-smi answering the runner's query with rising readings, as a GPU
    // warming under load would; -S keeps pynvml (and torch) out so the fallback is taken.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "quick-mark-smi-"));
    const counter = path.join(dir, "n");
    fs.writeFileSync(
      path.join(dir, "nvidia-smi"),
      `#!/bin/sh\n[ "$2" = "GPU-test" ] || exit 6\nn=$(cat ${counter} 2>/dev/null || echo 0)\necho $((n + 1)) > ${counter}\necho "$((600 + n * 10)).50, $((60 + n))"\n`,
      { mode: 0o755 },
    );
    const script = [
      "import json, sys, time",
      `sys.path.insert(0, ${JSON.stringify(path.dirname(RUNNER))})`,
      "import quick_mark as q",
      "sampler, how = q.power_sampler('GPU-test')",
      "with sampler:",
      "    time.sleep(1.1)",
      "print(json.dumps({'how': how, 'n': len(sampler.samples), **q.power_summary(sampler.samples)}))",
    ].join("\n");
    const out = await new Promise<string>((resolve, reject) =>
      execFile(
        PYTHON,
        ["-S", "-B", "-c", script],
        { env: { ...process.env, PATH: `${dir}:/usr/bin:/bin` } },
        (err, stdout, stderr) => (err ? reject(new Error(stderr)) : resolve(stdout)),
      ),
    );
    fs.rmSync(dir, { recursive: true, force: true });
    const r = JSON.parse(out);
    assert.match(r.how, /nvidia-smi --query-gpu=power\.draw,temperature\.gpu/);
    assert.ok(r.n >= 3, `several samples during the load, got ${r.n}`);
    const last = r.n - 1;
    assert.equal(r.power_consumption_watts, 600 + last * 10 + 0.5, "peak power is the highest sample");
    assert.equal(r.power_consumption_watts_mean, 600 + (last * 10) / 2 + 0.5, "mean power over all samples");
    assert.equal(r.temperature_centigrade, 60 + last);
    assert.equal(r.temperature_centigrade_mean, 60 + last / 2);
  });
});
