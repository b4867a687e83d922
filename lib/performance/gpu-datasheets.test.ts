import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SIMULATED_GPU_MODELS } from "../../agent/simulate";
import { datasheetFor, DATASHEET_MODELS } from "./gpu-datasheets";
import { KNOWN_GPU_MODELS } from "./vendor-specs";

describe("GPU datasheets", () => {
  it("cover every model with a shipped reference and every model of the demo data", () => {
    for (const model of [...KNOWN_GPU_MODELS, ...SIMULATED_GPU_MODELS]) {
      const sheet = datasheetFor(model);
      assert.ok(sheet, `no datasheet for ${model}`);
      assert.equal(sheet.model, model, `${model} resolves to its own row`);
      assert.ok(sheet.source.length > 20, `${model} names its source`);
    }
  });

  it("match nvidia-smi names exactly before falling back to the family", () => {
    assert.equal(datasheetFor("NVIDIA H200 NVL")?.tdpWatts, 600);
    assert.equal(datasheetFor("NVIDIA H200")?.tdpWatts, 700);
    assert.equal(datasheetFor("  nvidia h100 80gb hbm3 ")?.memoryBandwidthGbs, 3350);
    assert.equal(datasheetFor("NVIDIA A100 80GB PCIe")?.memoryBandwidthGbs, 1935);
    assert.equal(datasheetFor("NVIDIA A100-SXM4-80GB")?.memoryBandwidthGbs, 2039);
    assert.equal(datasheetFor("NVIDIA H100 PCIe")?.computeCapability, "9.0");
    assert.equal(datasheetFor("NVIDIA GeForce RTX 4090"), undefined);
    assert.equal(datasheetFor(null), undefined);
  });

  it("hold dense Tensor Core figures (no sparsity doubling)", () => {
    for (const model of DATASHEET_MODELS) {
      const s = datasheetFor(model)!;
      // Dense BF16 is twice dense TF32 on every listed architecture; a sparse figure would break it.
      assert.ok(Math.abs(s.bf16TensorTflops / s.tf32TensorTflops - 2) < 0.05, `${model} bf16/tf32`);
      assert.ok(s.bf16TensorTflops > s.fp32Tflops, `${model} tensor above CUDA-core FP32`);
    }
  });
});
