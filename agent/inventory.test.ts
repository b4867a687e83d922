import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { BASIC_GPU_QUERY_FIELDS, GPU_QUERY_FIELDS, parseCudaVersion, parseGpuQuery } from "./inventory";
import { GPU_FIXTURES, queryValuesFromSmiQ, smiQ } from "../test/helpers/fake-gpu-node";

test("the full --query-gpu answer of the recorded H200 parses into its inventory", () => {
  const values = queryValuesFromSmiQ(smiQ());
  const csv = GPU_QUERY_FIELDS.map((f) => values[f]).join(", ");
  const [gpu] = parseGpuQuery(`${csv}\n`);
  assert.deepEqual(gpu, {
    index: 0,
    name: "NVIDIA H200",
    uuid: "GPU-82e370f5-dacc-6cbd-525d-bc2c5f136f21",
    serial: "1652826070719",
    pci_bus_id: "00000000:00:06.0",
    memory_total_mib: 143771,
    driver_version: "580.159.04",
    pcie_gen_current: 5,
    pcie_gen_max: 5,
    pcie_width_current: 16,
    pcie_width_max: 16,
    clocks_max_sm_mhz: 1980,
    clocks_max_memory_mhz: 3201,
    power_limit_watts: 700,
    ecc_mode: "Enabled",
  });
  assert.equal(parseCudaVersion(smiQ()), "13.0");
});

test("several GPUs, and fields a GPU does not report, parse as null instead of failing", () => {
  const row = (i: number, ecc: string) =>
    `${i}, NVIDIA A100-SXM4-80GB, GPU-${i}, [N/A], 00000000:0${i}:00.0, 81920, 550.90.07, 4, 4, 16, 16, 1410, 1593, 400.00, ${ecc}`;
  const gpus = parseGpuQuery([row(0, "Enabled"), row(1, "[Not Supported]")].join("\r\n"));
  assert.equal(gpus.length, 2);
  assert.equal(gpus[1].index, 1);
  assert.equal(gpus[1].serial, null);
  assert.equal(gpus[1].ecc_mode, null);
  assert.equal(gpus[0].power_limit_watts, 400);
  assert.throws(() => parseGpuQuery("0, NVIDIA H200\n"), /unexpected nvidia-smi line 1/);
});

test("the basic query older drivers answer (the recorded CSV) still gives model, memory and driver", () => {
  const csv = fs.readFileSync(path.join(GPU_FIXTURES, "nvidia-smi-inventory-h200.csv"), "utf8");
  const [gpu] = parseGpuQuery(csv, BASIC_GPU_QUERY_FIELDS);
  assert.equal(gpu.name, "NVIDIA H200");
  assert.equal(gpu.memory_total_mib, 143771);
  assert.equal(gpu.driver_version, "580.159.04");
  assert.equal(gpu.pcie_gen_max, null);
});
