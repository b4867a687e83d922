import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * A GPU node without a GPU, for agent tests: a stand-in `nvidia-smi` that answers from the
 * recorded H200 (test/fixtures/gpu), and a benchmark program printing its recorded result.
 */
export const GPU_FIXTURES = path.resolve("test/fixtures/gpu");
export const smiQ = () => fs.readFileSync(path.join(GPU_FIXTURES, "nvidia-smi-q-h200.txt"), "utf8");

/** Each --query-gpu field's value for the recorded GPU, read from its `nvidia-smi -q`. */
export function queryValuesFromSmiQ(q: string): Record<string, string> {
  const get = (re: RegExp) => q.match(re)?.[1]?.trim() ?? "[N/A]";
  const after = (section: string, re: RegExp) => get(new RegExp(`${section}[\\s\\S]*?${re.source}`));
  return {
    index: get(/Minor Number\s*:\s*(\d+)/),
    name: get(/Product Name\s*:\s*(.+)/),
    uuid: get(/GPU UUID\s*:\s*(\S+)/),
    serial: get(/Serial Number\s*:\s*(\S+)/),
    "pci.bus_id": get(/Bus Id\s*:\s*(\S+)/),
    "memory.total": after("FB Memory Usage", /Total\s*:\s*(\d+) MiB/),
    driver_version: get(/Driver Version\s*:\s*(\S+)/),
    "pcie.link.gen.current": after("PCIe Generation", /Current\s*:\s*(\d+)/),
    "pcie.link.gen.max": after("PCIe Generation", /Max\s*:\s*(\d+)/),
    "pcie.link.width.current": after("Link Width", /Current\s*:\s*(\d+)x/),
    "pcie.link.width.max": after("Link Width", /Max\s*:\s*(\d+)x/),
    "clocks.max.sm": after("Max Clocks", /SM\s*:\s*(\d+) MHz/),
    "clocks.max.mem": after("Max Clocks", /Memory\s*:\s*(\d+) MHz/),
    "power.limit": after("GPU Power Readings", /Current Power Limit\s*:\s*([\d.]+) W/),
    "ecc.mode.current": after("ECC Mode", /Current\s*:\s*(\w+)/),
  };
}

function writeProgram(dir: string, name: string, source: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `#!${process.execPath}\n${source}`, { mode: 0o755 });
  return file;
}

/** A folder to put first on PATH: its nvidia-smi answers `-q` and `--query-gpu=…` like the recorded node. */
export function fakeNvidiaSmiBin(gpuCount = 1): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fake-nvidia-smi-"));
  const values = queryValuesFromSmiQ(smiQ());
  writeProgram(
    dir,
    "nvidia-smi",
    `const q = ${JSON.stringify(smiQ())};
const values = ${JSON.stringify(values)};
const args = process.argv.slice(2);
const query = args.find((a) => a.startsWith("--query-gpu="));
if (args.includes("-q")) process.stdout.write(q);
else if (query) {
  const fields = query.slice("--query-gpu=".length).split(",");
  for (let i = 0; i < ${gpuCount}; i++) console.log(fields.map((f) => (f === "index" ? String(i) : values[f] ?? "[N/A]")).join(", "));
} else process.exit(9);
`,
  );
  return dir;
}

/** A --runner program: prints the recorded H200 quick_mark result (the contract's JSON). */
export function fixtureQuickMarkRunner(dir: string): string {
  const fixture = JSON.parse(fs.readFileSync(path.join(GPU_FIXTURES, "h200-quick_mark.json"), "utf8"));
  return writeProgram(
    dir,
    "fixture-quick-mark",
    `console.error("replaying the recorded H200 result for " + process.argv[2]);\nconsole.log(${JSON.stringify(JSON.stringify({ state: "completed", results: { device: "cuda", ...fixture.results } }))});\n`,
  );
}
