import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { useFreshDatabase } from "./helpers/db";
import { getDb } from "../lib/db/client";
import { seedDemoAccounts, DEMO_ACCOUNTS, DEMO_PASSWORD } from "../lib/demo/accounts";
import { seedDemoHistory } from "../lib/demo/history";
import { api, V1 } from "./helpers/api";
import { JOB_STATES } from "../lib/jobs/states";

let teardown: () => Promise<void>;
before(async () => ({ teardown } = await useFreshDatabase()));
after(() => teardown());

test("first start: demo accounts can sign in and the history covers every state", async () => {
  const db = await getDb();
  assert.equal(await seedDemoAccounts(db), true);
  assert.equal(await seedDemoAccounts(db), false, "only on an empty database");
  await seedDemoHistory(db, { jobs: 60, days: 60 });
  const states = await db.job.groupBy({ by: ["state"], _count: true });
  assert.deepEqual(states.map((s) => s.state).sort(), [...JOB_STATES].sort());
  assert.ok((await db.job.count({ where: { performanceStatus: "underperforming" } })) > 0, "some underperforming jobs");
  assert.ok((await db.job.count({ where: { nodeCount: { gt: 1 }, state: "completed" } })) > 0, "multi-node jobs");
  const oldest = await db.job.findFirst({ orderBy: { createdAt: "asc" } });
  assert.ok(Date.now() - oldest!.createdAt.getTime() > 50 * 86400_000, "history spans weeks");

  const admin = DEMO_ACCOUNTS.find((a) => a.role === "customer_admin")!;
  const token = (await api.post(`${V1}/token`, { form: { username: admin.email, password: DEMO_PASSWORD } })).body.access_token;
  const list = await api.get(`${V1}/jobs?per_page=300`, { token });
  assert.ok(list.body.pagination.total > 0);
  assert.ok(list.body.results.every((j: any) => j.name), "admin sees its customer's jobs");
});
