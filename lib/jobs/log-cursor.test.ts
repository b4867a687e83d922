import { test } from "node:test";
import assert from "node:assert/strict";
import { LogCursor } from "./log-cursor";

test("a log cursor looks back over the settle window and sends each id once", () => {
  let now = 0;
  // Lines up to 10 existed; the tail sent 9 and 10.
  const c = new LogCursor(10n, [9n, 10n], 5_000, () => now);
  assert.equal(c.from(), 8n, "the look-back starts below the tail while the first window settles");
  assert.deepEqual(
    [9n, 10n].map((id) => c.take(id)),
    [false, false],
  );
  c.polled(10n);
  now = 1_000;
  assert.equal(c.from(), 8n);
  assert.equal(c.take(12n), true);
  c.polled(12n);
  now = 2_000;
  // 11 committed after 12: still sent, once.
  assert.deepEqual(
    [11n, 12n].map((id) => c.take(id)),
    [true, false],
  );
  c.polled(12n);
  // Past the window, what was read by then is settled: the look-back moves up.
  now = 5_000;
  assert.equal(c.from(), 10n);
  now = 6_000;
  assert.equal(c.from(), 12n);
  assert.equal(c.take(12n), false);
  assert.equal(c.take(13n), true);
});

test("with no tail the cursor starts at the highest id when following began", () => {
  const c = new LogCursor(42n, [], 5_000, () => 0);
  assert.equal(c.from(), 42n);
  assert.equal(c.take(42n), false);
  assert.equal(c.take(43n), true);
});
