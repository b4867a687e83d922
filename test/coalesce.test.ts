// lib/util/coalesce.ts, which groups the agent's concurrent writes into one statement: an idle
// call runs at once and alone, calls arriving under load leave together, a key is never in
// two places at once, and one call's failure is only its own.
import { test } from "node:test";
import assert from "node:assert/strict";
import { coalesce } from "../lib/util/coalesce";

type Call = { key: string; value: number; fail?: boolean };

/** A coalesced doubler whose groups finish when the test says so. */
function harness(maxGroup = 4, maxInFlight = 1) {
  const groups: { items: Call[]; finish: () => void }[] = [];
  const inFlightKeys = new Set<string>();
  const run = (items: Call[]) =>
    new Promise<number[]>((resolve, reject) => {
      for (const c of items) {
        assert.ok(!inFlightKeys.has(c.key), `key ${c.key} in two groups at once`);
        inFlightKeys.add(c.key);
      }
      groups.push({
        items,
        finish: () => {
          for (const c of items) inFlightKeys.delete(c.key);
          if (items.some((c) => c.fail)) reject(new Error(`group of ${items.length} failed`));
          else resolve(items.map((c) => c.value * 2));
        },
      });
    });
  const call = coalesce(run, { key: (c: Call) => c.key, maxGroup, maxInFlight });
  return { call, groups };
}

const tick = () => new Promise((r) => setImmediate(r));

test("an idle call runs at once, alone", async () => {
  const { call, groups } = harness();
  const answer = call({ key: "a", value: 1 });
  assert.equal(groups.length, 1);
  assert.deepEqual(
    groups[0].items.map((c) => c.value),
    [1],
  );
  groups[0].finish();
  assert.equal(await answer, 2);
});

test("calls arriving under load leave together, in order, up to the group size", async () => {
  const { call, groups } = harness(3);
  const answers = [1, 2, 3, 4, 5, 6].map((value) => call({ key: `k${value}`, value }));
  assert.equal(groups.length, 1); // the first is in flight; the rest wait for it
  groups[0].finish();
  await tick();
  assert.deepEqual(
    groups.map((g) => g.items.map((c) => c.value)),
    [[1], [2, 3, 4]],
  );
  groups[1].finish();
  await tick();
  assert.deepEqual(
    groups[2].items.map((c) => c.value),
    [5, 6],
  );
  groups[2].finish();
  assert.deepEqual(await Promise.all(answers), [2, 4, 6, 8, 10, 12]);
});

test("a key is never twice in a group nor in two groups at once", async () => {
  const { call, groups } = harness(8, 2);
  const answers = [
    call({ key: "a", value: 1 }),
    call({ key: "a", value: 2 }),
    call({ key: "b", value: 3 }),
    call({ key: "a", value: 4 }),
  ];
  // In flight: [a1] and [b3] (a2 may not run beside a1); a2 and a4 wait for a1, one by one.
  assert.deepEqual(
    groups.map((g) => g.items.map((c) => c.value)),
    [[1], [3]],
  );
  groups[1].finish();
  await tick();
  assert.equal(groups.length, 2, "nothing of key a may start while a1 runs");
  groups[0].finish();
  await tick();
  assert.deepEqual(
    groups[2].items.map((c) => c.value),
    [2],
  );
  groups[2].finish();
  await tick();
  assert.deepEqual(
    groups[3].items.map((c) => c.value),
    [4],
  );
  groups[3].finish();
  assert.deepEqual(await Promise.all(answers), [2, 4, 6, 8]);
});

test("when a group fails, each call is run again alone and only the failing one fails", async () => {
  const { call, groups } = harness(4);
  const first = call({ key: "x", value: 0 });
  const answers = [
    call({ key: "a", value: 1 }),
    call({ key: "b", value: 2, fail: true }),
    call({ key: "c", value: 3 }),
  ].map((p) =>
    p.then(
      (v) => ({ ok: v }),
      (e: Error) => ({ error: e.message }),
    ),
  );
  groups[0].finish();
  await tick();
  assert.deepEqual(
    groups[1].items.map((c) => c.value),
    [1, 2, 3],
  );
  groups[1].finish();
  await tick();
  assert.deepEqual(
    groups.slice(2).map((g) => g.items.map((c) => c.value)),
    [[1], [2], [3]],
  );
  for (const g of groups.slice(2)) g.finish();
  assert.equal(await first, 0);
  assert.deepEqual(await Promise.all(answers), [{ ok: 2 }, { error: "group of 1 failed" }, { ok: 6 }]);
});
