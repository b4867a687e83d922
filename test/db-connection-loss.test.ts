// PostgreSQL closing the app's idle connections (a restart, a failover, an operator's
// pg_terminate_backend) must not crash the server: the pool drops them and the next request
// opens new ones (lib/db/client.ts).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import { useFreshDatabase } from "./helpers/db";
import { api, V1 } from "./helpers/api";
import { signedInUser } from "./helpers/users";

let teardown: () => Promise<void>;
let kind: "postgres" | "pglite";

before(async () => {
  ({ teardown, kind } = await useFreshDatabase());
});
after(() => teardown());

test("idle connections closed by the server: no crash, the next requests are answered", async (t) => {
  if (kind !== "postgres") return t.skip("needs TEST_DATABASE_URL (PostgreSQL): PGlite has no connections to lose");
  const eng = await signedInUser("customer_admin", "Loss Co");
  const created = await api.post(`${V1}/jobs`, {
    token: eng.token,
    body: { name: "before", benchmarks: ["quick_mark"] },
  });
  assert.equal(created.status, 201, created.text);
  // The agent's write and registration go through the pool around Prisma; both paths are used.
  const job = created.body as { token: string };
  const reg = await api.post(`${V1}/jobs/current/tasks`, {
    token: job.token,
    body: { machine_uuid: "loss-1", gpu_model: "NVIDIA H100 80GB HBM3", gpu_count: 8 },
  });
  assert.equal(reg.status, 201, reg.text);

  const crashes: unknown[] = [];
  const onCrash = (err: unknown) => crashes.push(err);
  process.on("uncaughtException", onCrash);
  try {
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    const { rows } = await admin.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid()) x`,
    );
    await admin.end();
    assert.ok(rows[0].n > 0, "the app had idle connections to close");
    await new Promise((r) => setTimeout(r, 200));

    const list = await api.get(`${V1}/jobs`, { token: eng.token });
    assert.equal(list.status, 200, list.text);
    const hb = await api.post(`${V1}/jobs/current/tasks/${reg.body.id}/heartbeat`, { token: job.token, body: {} });
    assert.equal(hb.status, 200, hb.text);
    assert.deepEqual(crashes, []);
  } finally {
    process.off("uncaughtException", onCrash);
  }
});
