import { test } from "node:test";
import assert from "node:assert/strict";
import { historyVerdict, regressionLimit } from "./history-test";
import { mad, median, modifiedZ, noiseBand, quantile } from "./robust";

const cfg = { window: 20, minRuns: 5, z: 3.5, minDrop: 0.03 };

test("robust statistics: median, MAD, quantile, and a floored MAD for identical runs", () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 2, 3]), 2.5);
  assert.equal(mad([1, 2, 3, 4, 100]), 1);
  assert.equal(quantile([1, 2, 3, 4, 5], 0.1), 1.4);
  // Identical history: the floor (0.1 % of the median) keeps z finite.
  assert.ok(Number.isFinite(modifiedZ(99, 100, 0)));
});

test("history verdict: needs minRuns, flags only a significant and large enough drop", () => {
  const stable = [768.7, 765.6, 771.8, 767.2, 770.2, 769.5, 766.4, 771.0];
  assert.equal(historyVerdict(700, stable.slice(0, 4), cfg), null);
  const drop = historyVerdict(768.7 * 0.95, stable, cfg)!;
  assert.equal(drop.regressed, true);
  assert.equal(drop.runs, 8);
  const dip = historyVerdict(768.7 * 0.985, stable, cfg)!;
  assert.ok(dip.z <= -3.5 && dip.drop < 0.03);
  assert.equal(dip.regressed, false);
  // One outlier in the history does not move the baseline.
  const withOutlier = historyVerdict(768.7 * 0.95, [...stable, 400], cfg)!;
  assert.equal(withOutlier.regressed, true);
  // Faster than usual is never a regression.
  assert.equal(historyVerdict(800, stable, cfg)!.regressed, false);
});

test("regression limit: exactly where the history verdict starts to flag", () => {
  const stable = [768.7, 765.6, 771.8, 767.2, 770.2, 769.5, 766.4, 771.0];
  const quiet = [1000, 1000, 1000, 1000.5, 999.5, 1000];
  for (const [history, which] of [
    [stable, "a noisy history: the z condition decides"],
    [quiet, "a quiet one: the minimum drop decides"],
  ] as const) {
    const v = historyVerdict(1, history, cfg)!;
    const limit = regressionLimit(v.median, v.mad, cfg);
    assert.equal(historyVerdict(limit - 0.01, history, cfg)!.regressed, true, which);
    assert.equal(historyVerdict(limit + 0.01, history, cfg)!.regressed, false, which);
  }
  assert.equal(regressionLimit(1000, 0, cfg), 970, "minimum drop 3 % below a flat baseline");
});

test("fleet noise band: median ± 3 σ, σ = 1.4826 × MAD; none without a spread", () => {
  const band = noiseBand(100, 2)!;
  assert.ok(Math.abs(band.sigma - 2.9652) < 1e-9);
  assert.ok(Math.abs(band.low - (100 - 3 * 2.9652)) < 1e-9 && Math.abs(band.high - (100 + 3 * 2.9652)) < 1e-9);
  assert.equal(noiseBand(100, 0), null);
});
