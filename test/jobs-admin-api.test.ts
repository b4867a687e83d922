// GET /jobs/summary (stats + queue), DELETE /jobs bulk delete (docs/api-contract.md)
// and GET /jobs/export (CSV/JSON of the filtered list).
process.env.EXPORT_PAGE_SIZE = "4"; // small pages, so exports cross page boundaries
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { useFreshDatabase } from "./helpers/db";
import { api, V1 } from "./helpers/api";
import { signedInUser, type SignedInUser } from "./helpers/users";
import { parseCsv } from "./helpers/csv";
import { getDb } from "../lib/db/client";

let teardown: () => Promise<void>;
let admin: SignedInUser;
let user: SignedInUser;
const DAY = 86_400_000;

async function job(token: string, body: Record<string, unknown>, set: Record<string, unknown> = {}) {
  const res = await api.post(`${V1}/jobs`, { token, body: { benchmarks: ["quick_mark"], ...body } });
  assert.equal(res.status, 201, res.text);
  if (Object.keys(set).length) await (await getDb()).job.update({ where: { id: BigInt(res.body.id) }, data: set });
  return res.body.id as string;
}

before(async () => {
  ({ teardown } = await useFreshDatabase());
  admin = await signedInUser("customer_admin", "Admin Co");
  user = await signedInUser("user", "Admin Co");
});
after(() => teardown());

describe("summary", () => {
  test("counts by state and benchmark, and the queue of jobs waiting for nodes", async () => {
    const other = await signedInUser("user", "Elsewhere Inc");
    const now = Date.now();
    await job(user.token, { name: "s-created", node_count: 4 }, { createdAt: new Date(now - 3600_000) });
    await job(
      user.token,
      { name: "s-starting", node_count: 3 },
      { state: "starting", currentNodes: 1, createdAt: new Date(now - 600_000) },
    );
    await job(
      admin.token,
      { name: "s-net", node_count: 2, benchmarks: ["quick_mark", "cluster_network"] },
      { state: "completed", endedAt: new Date() },
    );
    await job(admin.token, { name: "s-failed" }, { state: "failed", endedAt: new Date() });
    await job(other.token, { name: "s-other" }, { state: "failed" });

    const res = await api.get(`${V1}/jobs/summary`, { token: admin.token });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.total_jobs, 4);
    assert.deepEqual(res.body.by_state, {
      created: 1,
      starting: 1,
      running: 0,
      completed: 1,
      completed_with_warnings: 0,
      failed: 1,
      aborted: 0,
    });
    // Every catalogued benchmark is counted, unused ones as 0.
    assert.deepEqual(res.body.by_benchmark, {
      quick_mark: 4,
      cluster_network: 1,
      inference: 0,
      llama3_inference_nim: 0,
      llama3_finetune_nemo: 0,
    });
    const q = res.body.queue;
    assert.equal(q.waiting_jobs, 2);
    assert.equal(q.created, 1);
    assert.equal(q.starting, 1);
    assert.equal(q.nodes_missing, 4 + 2);
    assert.ok(q.oldest_wait_seconds >= 3600 && q.oldest_wait_seconds < 3700, String(q.oldest_wait_seconds));
    assert.equal(q.oldest_created_at, new Date(now - 3600_000).toISOString());

    // A plain user sees only their own jobs in the counts.
    const mine = (await api.get(`${V1}/jobs/summary`, { token: user.token })).body;
    assert.equal(mine.total_jobs, 2);
    assert.equal(mine.by_state.failed, 0);
    const theirs = (await api.get(`${V1}/jobs/summary`, { token: other.token })).body;
    assert.equal(theirs.total_jobs, 1);
    assert.equal(theirs.queue.waiting_jobs, 0);
    assert.equal(theirs.queue.oldest_wait_seconds, null);
  });

  test("static /jobs/summary and /jobs/export do not shadow /jobs/{id} validation", async () => {
    const bad = await api.get(`${V1}/jobs/summaryx`, { token: admin.token });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, "PARAMETER_INCORRECT_VALUE");
    assert.equal((await api.get(`${V1}/jobs/12345678`, { token: admin.token })).status, 404);
    assert.equal((await api.get(`${V1}/jobs/summary`)).status, 401);
  });
});

describe("bulk delete", () => {
  test("customer admins soft-delete their customer's old jobs; running and starting ones stay", async () => {
    const boss = await signedInUser("customer_admin", "Bulk Co");
    const eng = await signedInUser("user", "Bulk Co");
    const old = new Date(Date.now() - 30 * DAY);
    const ids = {
      oldDone: await job(eng.token, { name: "b-old-done" }, { state: "completed", createdAt: old, endedAt: old }),
      oldFailed: await job(
        boss.token,
        { name: "b-old-failed" },
        { state: "failed", createdAt: old, endedAt: new Date(old.getTime() + 60_000) },
      ),
      oldCreated: await job(eng.token, { name: "b-old-created" }, { createdAt: old }),
      oldRunning: await job(eng.token, { name: "b-old-running" }, { state: "running", createdAt: old }),
      oldStarting: await job(eng.token, { name: "b-old-starting" }, { state: "starting", createdAt: old }),
      recent: await job(eng.token, { name: "b-recent" }, { state: "completed", endedAt: new Date() }),
    };
    const res = await api.delete(
      `${V1}/jobs?created_before=${new Date(Date.now() - 7 * DAY).toISOString().slice(0, 10)}`,
      { token: boss.token },
    );
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.deleted_count, 3);
    const left = (await api.get(`${V1}/jobs?per_page=50`, { token: boss.token })).body.results
      .map((j: any) => j.name)
      .sort();
    assert.deepEqual(left, ["b-old-running", "b-old-starting", "b-recent"]);
    assert.equal((await api.get(`${V1}/jobs/${ids.oldDone}`, { token: boss.token })).status, 404);
    // Soft delete: the rows are still there, marked deleted.
    const row = await (await getDb()).job.findUnique({ where: { id: BigInt(ids.oldDone) } });
    assert.ok(row?.deletedAt);
    // Again: nothing more to delete.
    assert.equal(
      (await api.delete(`${V1}/jobs?created_before=2999-01-01&finished_before=2000-01-01`, { token: boss.token })).body
        .deleted_count,
      0,
    );
  });

  test("finished_before only takes ended jobs; benchmark_id narrows", async () => {
    const boss = await signedInUser("customer_admin", "Finish Co");
    const t = Date.now();
    await job(
      boss.token,
      { name: "f-ended-old", benchmarks: ["quick_mark", "cluster_network"], node_count: 2 },
      { state: "completed", endedAt: new Date(t - 10 * DAY) },
    );
    await job(boss.token, { name: "f-ended-old-qm" }, { state: "aborted", endedAt: new Date(t - 10 * DAY) });
    await job(boss.token, { name: "f-ended-new" }, { state: "completed", endedAt: new Date(t - DAY) });
    await job(boss.token, { name: "f-never-ended" }, { createdAt: new Date(t - 20 * DAY) });
    const cutoff = new Date(t - 5 * DAY).toISOString();
    const net = await api.delete(
      `${V1}/jobs?finished_before=${encodeURIComponent(cutoff)}&benchmark_id=cluster_network`,
      { token: boss.token },
    );
    assert.equal(net.body.deleted_count, 1);
    const all = await api.delete(`${V1}/jobs?finished_before=${encodeURIComponent(cutoff)}`, { token: boss.token });
    assert.equal(all.body.deleted_count, 1);
    const left = (await api.get(`${V1}/jobs`, { token: boss.token })).body.results.map((j: any) => j.name).sort();
    assert.deepEqual(left, ["f-ended-new", "f-never-ended"]);
  });

  test("who may: users and staff get 403; root admins reach every customer", async () => {
    const eng = await signedInUser("user", "Perm Co");
    const staff = await signedInUser("staff", "Operator");
    const root = await signedInUser("root_admin", "Operator");
    const id = await job(
      eng.token,
      { name: "p-old" },
      { state: "completed", createdAt: new Date(Date.now() - 40 * DAY), endedAt: new Date(Date.now() - 40 * DAY) },
    );
    for (const u of [eng, staff]) {
      const res = await api.delete(`${V1}/jobs?created_before=2999-01-01`, { token: u.token });
      assert.equal(res.status, 403, res.text);
      assert.equal(res.body.error.code, "PERMISSION_DENIED");
    }
    assert.equal((await api.get(`${V1}/jobs/${id}`, { token: eng.token })).status, 200);
    const res = await api.delete(`${V1}/jobs?finished_before=${new Date(Date.now() - 35 * DAY).toISOString()}`, {
      token: root.token,
    });
    assert.equal(res.status, 200);
    assert.ok(res.body.deleted_count >= 1);
    assert.equal((await api.get(`${V1}/jobs/${id}`, { token: eng.token })).status, 404);
  });

  test("a filter is required and dates are validated", async () => {
    const boss = await signedInUser("customer_admin", "Valid Co");
    const none = await api.delete(`${V1}/jobs`, { token: boss.token });
    assert.equal(none.status, 400);
    assert.match(none.body.error.message, /created_before or finished_before/);
    const bad = await api.delete(`${V1}/jobs?created_before=yesterday`, { token: boss.token });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.details[0].field, "created_before");
    assert.equal((await api.delete(`${V1}/jobs?created_before=2024-01-01`)).status, 401);
  });
});

describe("export", () => {
  let boss: SignedInUser;
  before(async () => {
    boss = await signedInUser("customer_admin", "Export Co");
    const t = Date.now();
    const tricky = ['=HYPERLINK("http://evil")', "+cmd", "-2+3", "@SUM(A1)", 'quote " and, comma', "line\nbreak"];
    for (let i = 0; i < 11; i++) {
      await job(
        boss.token,
        {
          name: i < tricky.length ? tricky[i].slice(0, 60) : `export-${String(i).padStart(2, "0")}`,
          description: i === 5 ? 'multi\r\nline, "quoted"' : null,
          node_count: 1 + (i % 3),
          tags: i % 2 ? ["odd", "export"] : ["export"],
        },
        {
          createdAt: new Date(t - (20 - i) * 60_000),
          ...(i % 3 === 0 ? { state: "completed", endedAt: new Date(t - i * 1000) } : {}),
        },
      );
    }
  });

  async function listAll(qs: string) {
    const out: any[] = [];
    for (let page = 1; ; page++) {
      const res = await api.get(`${V1}/jobs?${qs}&per_page=5&page=${page}`, { token: boss.token });
      assert.equal(res.status, 200, res.text);
      out.push(...res.body.results);
      if (!res.body.pagination.has_next) return out;
    }
  }

  const FILTERS = [
    "",
    "state=completed",
    "tags=odd",
    "sort_by=ended_at&sort_order=asc",
    "sort_by=ended_at&sort_order=desc",
    "sort_by=started_at",
    "sort_by=name&sort_order=asc&tags=export",
    "node_count_min=2&sort_by=node_count",
    "name=export&include=performance",
  ];

  for (const qs of FILTERS) {
    test(`JSON export equals GET /jobs over all pages: ${qs || "(defaults)"}`, async () => {
      const res = await api.get(`${V1}/jobs/export?format=json&${qs}`, { token: boss.token });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.headers.get("content-type"), "application/json; charset=utf-8");
      assert.match(res.headers.get("content-disposition")!, /^attachment; filename="jobs-\d{8}-\d{6}\.json"$/);
      const listed = (await listAll(qs)).map(({ token: _t, ...j }) => j);
      assert.ok(listed.length > 0);
      assert.deepEqual(res.body, listed);
      assert.ok(!res.text.includes('"token"'), "no job tokens in exports");
    });

    test(`CSV export rows equal GET /jobs over all pages: ${qs || "(defaults)"}`, async () => {
      const res = await api.get(`${V1}/jobs/export?${qs}`, { token: boss.token });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.headers.get("content-type"), "text/csv; charset=utf-8");
      assert.match(res.headers.get("content-disposition")!, /filename="jobs-\d{8}-\d{6}\.csv"/);
      const [header, ...rows] = parseCsv(res.text);
      assert.deepEqual(header.slice(0, 4), ["id", "name", "state", "failed_message"]);
      const listed = await listAll(qs);
      assert.deepEqual(
        rows.map((r) => r[header.indexOf("id")]),
        listed.map((j) => j.id),
      );
      const unguard = (s: string) => (/^'[=+\-@]/.test(s) ? s.slice(1) : s);
      for (const [i, j] of listed.entries()) {
        const cell = (c: string) => rows[i][header.indexOf(c)];
        assert.equal(unguard(cell("name")), j.name);
        assert.equal(cell("state"), j.state);
        assert.equal(cell("description"), j.description ?? "");
        assert.equal(cell("tags"), j.tags.join(";"));
        assert.equal(cell("node_count"), String(j.node_count));
        assert.equal(cell("created_at"), j.created_at);
        assert.equal(cell("ended_at"), j.ended_at ?? "");
      }
    });
  }

  test("CSV cells are RFC 4180 quoted and guarded against formulas", async () => {
    const res = await api.get(`${V1}/jobs/export?format=csv&sort_by=created_at&sort_order=asc`, { token: boss.token });
    const lines = res.text.split("\r\n");
    assert.ok(res.text.endsWith("\r\n"));
    assert.ok(
      lines.some((l) => l.includes(`,"'=HYPERLINK(""http://evil"")",`)),
      "formula neutralised and quotes doubled",
    );
    for (const guarded of ["'+cmd", "'-2+3", "'@SUM(A1)"])
      assert.ok(
        lines.some((l) => l.includes(`,${guarded},`)),
        guarded,
      );
    assert.ok(res.text.includes(`"quote "" and, comma"`));
    assert.ok(res.text.includes(`"line\nbreak"`));
    assert.ok(res.text.includes(`"multi\r\nline, ""quoted"""`));
  });

  test("bad format or filters are 400s, like GET /jobs", async () => {
    const fmt = await api.get(`${V1}/jobs/export?format=xlsx`, { token: boss.token });
    assert.equal(fmt.status, 400);
    assert.match(fmt.body.error.message, /format must be csv or json/);
    assert.equal((await api.get(`${V1}/jobs/export?sort_by=token`, { token: boss.token })).status, 400);
    assert.equal((await api.get(`${V1}/jobs/export?state=done`, { token: boss.token })).status, 400);
  });
});
