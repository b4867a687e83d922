// The embedded database runs statements on the server's own thread (lib/db/sql-driver.ts):
// between two queued statements the event loop must get its turn, or a burst of database work
// leaves every socket unread until the whole queue is done.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPGlite } from "../lib/db/sql-driver";

const HEAVY = "SELECT count(*)::int AS n FROM generate_series(1, 100000)";

test("the event loop runs between queued statements and inside a transaction", async () => {
  const db = await openPGlite("memory://");
  try {
    let done = 0;
    const queued = Array.from({ length: 20 }, () => db.query<{ n: number }>(HEAVY).then(() => done++));
    // A timer set now fires between statements, not after the twentieth.
    const seenByTimer = await new Promise<number>((resolve) => setTimeout(() => resolve(done), 0));
    await Promise.all(queued);
    assert.equal(done, 20);
    assert.ok(seenByTimer < 10, `the timer ran after ${seenByTimer} of 20 statements`);

    const inTx = db.transaction(async (tx) => {
      let n = 0;
      for (let i = 0; i < 20; i++) n += (await tx.query<{ n: number }>(HEAVY)).rows[0].n;
      return n;
    });
    let txDone = false;
    void inTx.then(() => (txDone = true));
    const txSeenByTimer = await new Promise<boolean>((resolve) => setTimeout(() => resolve(txDone), 0));
    assert.equal(await inTx, 20 * 100000);
    assert.equal(txSeenByTimer, false, "the timer ran before the transaction's last statement");

    // Order and errors are as without turns: each call answers its own statement.
    const answers = await Promise.allSettled([
      db.query<{ v: number }>("SELECT 1 AS v"),
      db.query("SELECT * FROM no_such_table"),
      db.exec("CREATE TABLE t (v int); INSERT INTO t VALUES (2)"),
      db.query<{ v: number }>("SELECT v FROM t"),
    ]);
    assert.deepEqual(
      answers.map((a) => a.status),
      ["fulfilled", "rejected", "fulfilled", "fulfilled"],
    );
    assert.deepEqual((answers[3] as PromiseFulfilledResult<{ rows: { v: number }[] }>).value.rows, [{ v: 2 }]);
  } finally {
    await db.close();
  }
});
