// The live-job counters behind list totals, the stats badge and GET /jobs/tags
// (migration 20261123140000_bench_indexes, lib/jobs/counts.ts) must always equal counting the
// jobs themselves — through creation, tag edits, state and performance changes, cancellation
// and soft deletion — for every role's scope.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { useFreshDatabase } from "./helpers/db";
import { api, V1 } from "./helpers/api";
import { signedInUser, type SignedInUser } from "./helpers/users";
import { getDb } from "../lib/db/client";

let teardown: () => Promise<void>;
let ada: SignedInUser, bob: SignedInUser, acmeAdmin: SignedInUser, gus: SignedInUser, root: SignedInUser;

before(async () => {
  ({ teardown } = await useFreshDatabase());
  ada = await signedInUser("user", "Acme");
  bob = await signedInUser("user", "Acme");
  acmeAdmin = await signedInUser("customer_admin", "Acme");
  gus = await signedInUser("user", "Globex");
  root = await signedInUser("root_admin", "Ops");
});
after(() => teardown());

async function create(owner: SignedInUser, name: string, tags: string[], nodes = 1): Promise<string> {
  const benchmarks = nodes > 1 ? ["quick_mark", "cluster_network"] : ["quick_mark"];
  const res = await api.post(`${V1}/jobs`, { token: owner.token, body: { name, benchmarks, tags, node_count: nodes } });
  assert.equal(res.status, 201, res.text);
  return res.body.id;
}

/** What the counters must say, counted from the jobs table. */
async function counted(scope: string, extra = "TRUE"): Promise<number> {
  const db = await getDb();
  const rows = await db.$queryRawUnsafe<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM jobs j WHERE j.deleted_at IS NULL AND ${scope} AND ${extra}`,
  );
  return rows[0].n;
}

test("list totals, stats and tags from the counters equal counting the jobs", async () => {
  const db = await getDb();
  const ids = {
    a1: await create(ada, "a1", ["production", "gpu"]),
    a2: await create(ada, "a2", ["production"]),
    a3: await create(ada, "a3", []),
    b1: await create(bob, "b1", ["staging", "gpu", "gpu"], 4),
    b2: await create(bob, "b2", ["nightly"]),
    g1: await create(gus, "g1", ["production", "globex-only"], 2),
    a4: await create(ada, "a4", ["gpu"], 16),
    // Case beyond ASCII: name= is insensitive for every letter, as ILIKE is.
    a5: await create(ada, "Ünïcode SOAK Ölçüm", ["gpu"]),
    // name= through the names' words (lib/jobs/name-words.ts): a word repeated, in another
    // word, after a tab, across owners and customers.
    a6: await create(ada, "presoak\tsoak-2 soak-2", ["gpu"]),
    b4: await create(bob, "nightly SOAK soak", []),
    g2: await create(gus, "soak", []),
    a7: await create(ada, "to be renamed", []),
  };
  // A rename moves the job from its old words to its new ones.
  assert.equal(
    (await api.patch(`${V1}/jobs/${ids.a7}`, { token: ada.token, body: { name: "renamed soaking" } })).status,
    200,
  );
  // Tag edit, cancellation, scoring and soft deletion all move counted dimensions.
  assert.equal(
    (await api.patch(`${V1}/jobs/${ids.a2}`, { token: ada.token, body: { tags: ["nightly", "gpu"] } })).status,
    200,
  );
  assert.equal((await api.post(`${V1}/jobs/${ids.a3}/cancel`, { token: ada.token })).status, 200);
  await db.job.update({
    where: { id: BigInt(ids.a1) },
    data: { state: "completed", performanceStatus: "underperforming" },
  });
  await db.job.update({ where: { id: BigInt(ids.b1) }, data: { state: "completed", performanceStatus: "ok" } });
  await db.job.update({
    where: { id: BigInt(ids.g1) },
    data: { state: "completed", performanceStatus: "underperforming" },
  });
  assert.equal((await api.delete(`${V1}/jobs/delete`, { token: bob.token, body: { id: ids.b2 } })).status, 200);
  // A later job of a deleted job's owner reuses the counter rows.
  await create(bob, "b3", ["nightly"]);

  const acme = (await db.customer.findUniqueOrThrow({ where: { name: "Acme" } })).id;
  const scopes: [SignedInUser, string][] = [
    [ada, `j.customer_id = ${acme} AND j.user_id = ${ada.id}`],
    [acmeAdmin, `j.customer_id = ${acme}`],
    [root, "TRUE"],
  ];
  const filters: [string, string][] = [
    ["", "TRUE"],
    ["state=created", "j.state = 'created'"],
    ["state=completed", "j.state = 'completed'"],
    ["state=aborted", "j.state = 'aborted'"],
    ["has_performance_data=true", "j.performance_status <> 'unknown'"],
    ["has_performance_data=false&state=created", "j.performance_status = 'unknown' AND j.state = 'created'"],
    ["performance_status=underperforming", "j.performance_status = 'underperforming'"],
    ["performance_status=ok&tags=gpu", "j.performance_status = 'ok' AND 'gpu' = ANY (j.tags)"],
    ["tags=gpu", "'gpu' = ANY (j.tags)"],
    ["tags=nightly", "'nightly' = ANY (j.tags)"],
    ["tags=staging", "'staging' = ANY (j.tags)"],
    // One or two tags alone: summed from the tag pairs, in either order, a repeated tag once.
    ["tags=gpu&tags=production", "j.tags @> ARRAY['gpu', 'production']"],
    ["tags=production&tags=gpu", "j.tags @> ARRAY['gpu', 'production']"],
    ["tags=gpu&tags=gpu", "'gpu' = ANY (j.tags)"],
    ["tags=nightly&tags=staging", "j.tags @> ARRAY['nightly', 'staging']"],
    ["tags=gpu&state=completed", "'gpu' = ANY (j.tags) AND j.state = 'completed'"],
    ["tags=gpu&node_count_min=2", "'gpu' = ANY (j.tags) AND j.node_count >= 2"],
    ["benchmark_id=cluster_network", "'cluster_network' = ANY (j.benchmark_ids)"],
    [
      "benchmark_id=cluster_network&node_count_max=8&state=completed",
      "'cluster_network' = ANY (j.benchmark_ids) AND j.node_count <= 8 AND j.state = 'completed'",
    ],
    ["benchmark_id=quick_mark", "TRUE"],
    ["benchmark_id=cluster_network&tags=gpu", "'cluster_network' = ANY (j.benchmark_ids) AND 'gpu' = ANY (j.tags)"],
    ["node_count_min=2&node_count_max=4", "j.node_count BETWEEN 2 AND 4"],
    ["name=a&state=created", "j.name ILIKE '%a%' AND j.state = 'created'"],
    // A name, or three tags or more, alone: counted in job_search (lib/jobs/search.ts).
    ["name=a", "j.name ILIKE '%a%'"],
    ["name=B", "j.name ILIKE '%b%'"],
    ["name=_1", "j.name ILIKE '%_1%'"],
    ["name=soak", "j.name ILIKE '%soak%'"],
    ["name=%C3%BCn%C3%AFcode", "j.name ILIKE '%ünïcode%'"],
    ["name=%C3%96L%C3%87%C3%9CM", "j.name ILIKE '%ölçüm%'"],
    ["name=a&tags=gpu", "j.name ILIKE '%a%' AND 'gpu' = ANY (j.tags)"],
    // In one word, in several, in none; across the words' separator (counted in job_search).
    ["name=presoak", "j.name ILIKE '%presoak%'"],
    ["name=SOAK-2", "j.name ILIKE '%soak-2%'"],
    ["name=oak", "j.name ILIKE '%oak%'"],
    ["name=soaking", "j.name ILIKE '%soaking%'"],
    ["name=renamed", "j.name ILIKE '%renamed%'"],
    ["name=be%20renamed", "j.name ILIKE '%be renamed%'"],
    ["name=soak%20soak", "j.name ILIKE '%soak soak%'"],
    ["name=k%09soak", "j.name ILIKE E'%k\\tsoak%'"],
    ["name=zzzq", "j.name ILIKE '%zzzq%'"],
    ["name=so%25k", "j.name ILIKE '%so%k%'"],
    ["tags=gpu&tags=nightly", "j.tags @> ARRAY['gpu', 'nightly']"],
    ["tags=gpu&tags=nightly&tags=production", "j.tags @> ARRAY['gpu', 'nightly', 'production']"],
    ["tags=gpu&tags=nightly&tags=production&tags=gpu", "j.tags @> ARRAY['gpu', 'nightly', 'production']"],
  ];
  for (const [who, scope] of scopes) {
    for (const [query, sql] of filters) {
      const res = await api.get(`${V1}/jobs?${query}`, { token: who.token });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.pagination.total, await counted(scope, sql), `${who.email} ?${query}`);
      // The page itself: the same jobs in the same order as filtering the jobs table.
      const page = await db.$queryRawUnsafe<{ id: bigint }[]>(
        `SELECT j.id FROM jobs j WHERE j.deleted_at IS NULL AND ${scope} AND ${sql} ORDER BY j.created_at DESC, j.id DESC LIMIT 20`,
      );
      assert.deepEqual(
        res.body.results.map((j: { id: string }) => j.id),
        page.map((r) => String(r.id)),
        `${who.email} ?${query} page`,
      );
    }
    const stats = await api.get(`${V1}/jobs/stats`, { token: who.token });
    assert.equal(
      stats.body.alert_job_count,
      await counted(scope, "j.state = 'completed' AND j.performance_status = 'underperforming'"),
      `${who.email} stats`,
    );
    const tags = await api.get(`${V1}/jobs/tags`, { token: who.token });
    const expected = await db.$queryRawUnsafe<{ t: string }[]>(
      `SELECT DISTINCT t FROM jobs j, unnest(j.tags) t WHERE j.deleted_at IS NULL AND ${scope} ORDER BY 1`,
    );
    assert.deepEqual(
      tags.body.tags,
      expected.map((r) => r.t),
      `${who.email} tags`,
    );
  }
  // Spot checks of what a person sees: Ada's own jobs, the admin's whole customer.
  assert.equal((await api.get(`${V1}/jobs`, { token: ada.token })).body.pagination.total, 7);
  assert.deepEqual((await api.get(`${V1}/jobs/tags`, { token: acmeAdmin.token })).body.tags, [
    "gpu",
    "nightly",
    "production",
    "staging",
  ]);
  assert.equal((await api.get(`${V1}/jobs/stats`, { token: root.token })).body.alert_job_count, 2);

  // And the counter tables hold exactly the recount, with no zero rows left behind.
  const dims = "customer_id, user_id, state, performance_status, node_count";
  for (const [table, column, source] of [
    ["job_counts", null, null],
    ["job_tag_counts", "tag", "tags"],
    ["job_benchmark_counts", "benchmark_id", "benchmark_ids"],
  ] as const) {
    const recount = column
      ? `SELECT customer_id, user_id, v AS ${column}, state, performance_status, node_count, count(*)::int AS jobs FROM jobs, LATERAL (SELECT DISTINCT unnest(${source})) u(v) WHERE deleted_at IS NULL GROUP BY 1, 2, 3, 4, 5, 6`
      : `SELECT ${dims}, count(*)::int AS jobs FROM jobs WHERE deleted_at IS NULL GROUP BY 1, 2, 3, 4, 5`;
    const cols = column
      ? `customer_id, user_id, ${column}, state, performance_status, node_count, jobs`
      : `${dims}, jobs`;
    const drift = await db.$queryRawUnsafe<unknown[]>(
      `WITH r AS (${recount}) (SELECT ${cols} FROM ${table} EXCEPT SELECT * FROM r) UNION ALL (SELECT * FROM r EXCEPT SELECT ${cols} FROM ${table})`,
    );
    assert.deepEqual(drift, [], table);
  }
  // job_search is exactly the live jobs' searchable columns.
  const searchDrift = await db.$queryRawUnsafe<unknown[]>(
    `WITH r AS (SELECT id, customer_id, user_id, created_at, lower(name), tags FROM jobs WHERE deleted_at IS NULL)
     (SELECT id, customer_id, user_id, created_at, name_lower, tags FROM job_search EXCEPT SELECT * FROM r)
     UNION ALL (SELECT * FROM r EXCEPT SELECT id, customer_id, user_id, created_at, name_lower, tags FROM job_search)`,
  );
  assert.deepEqual(searchDrift, [], "job_search");
  // The tag pairs: every live job once per pair of its distinct tags (a tag with itself too).
  const pairDrift = await db.$queryRawUnsafe<unknown[]>(
    `WITH r AS (SELECT customer_id, user_id, a AS tag_a, b AS tag_b, count(*)::int AS jobs
                FROM jobs, LATERAL (SELECT DISTINCT unnest(tags)) x(a), LATERAL (SELECT DISTINCT unnest(tags)) y(b)
                WHERE deleted_at IS NULL AND a <= b GROUP BY 1, 2, 3, 4)
     (SELECT customer_id, user_id, tag_a, tag_b, jobs FROM job_tag_pair_counts EXCEPT SELECT * FROM r)
     UNION ALL (SELECT * FROM r EXCEPT SELECT customer_id, user_id, tag_a, tag_b, jobs FROM job_tag_pair_counts)`,
  );
  assert.deepEqual(pairDrift, [], "job_tag_pair_counts");
  // The names' words: every live job once per distinct word of its lowercased name.
  const tokens = `SELECT DISTINCT w AS word, customer_id, user_id, id AS job_id
                  FROM jobs, regexp_split_to_table(lower(name), '[ \\t\\n\\r\\f\\v]+') w WHERE deleted_at IS NULL AND w <> ''`;
  const tokenDrift = await db.$queryRawUnsafe<unknown[]>(
    `WITH r AS (${tokens})
     (SELECT word, customer_id, user_id, job_id FROM job_name_tokens EXCEPT SELECT * FROM r)
     UNION ALL (SELECT * FROM r EXCEPT SELECT word, customer_id, user_id, job_id FROM job_name_tokens)`,
  );
  assert.deepEqual(tokenDrift, [], "job_name_tokens");
  const wordDrift = await db.$queryRawUnsafe<unknown[]>(
    `WITH r AS (SELECT customer_id, user_id, word, count(*)::int AS jobs FROM (${tokens}) t GROUP BY 1, 2, 3)
     (SELECT customer_id, user_id, word, jobs FROM job_name_words EXCEPT SELECT * FROM r)
     UNION ALL (SELECT * FROM r EXCEPT SELECT customer_id, user_id, word, jobs FROM job_name_words)`,
  );
  assert.deepEqual(wordDrift, [], "job_name_words");
});

test("deep pages (deferred join) return the same rows as walking the list", async () => {
  const db = await getDb();
  // 1,040 jobs straight into the table (the API would take minutes): page 51 of 20 starts at offset 1000.
  const u = await db.user.findUniqueOrThrow({ where: { id: ada.id } });
  await db.$executeRawUnsafe(
    `INSERT INTO jobs (customer_id, user_id, name, node_count, tags, benchmark_sequence, benchmark_ids, token, expires_at, created_at)
     SELECT $1, $2, 'bulk ' || g, 1 + g % 7, '{}', '[{"benchmark_id":"quick_mark","config":null}]', '{quick_mark}', 't', now() + interval '1 day', now() - g * interval '1 minute'
     FROM generate_series(1, 1040) g`,
    u.customerId,
    u.id,
  );
  for (const sort of ["created_at&sort_order=desc", "node_count&sort_order=asc", "name&sort_order=desc"]) {
    const deep = await api.get(`${V1}/jobs?sort_by=${sort}&page=51&per_page=20`, { token: ada.token });
    const wide = await api.get(`${V1}/jobs?sort_by=${sort}&page=4&per_page=300`, { token: ada.token }); // offsets 900..1199
    assert.equal(deep.status, 200, deep.text);
    assert.deepEqual(
      deep.body.results.map((j: { id: string }) => j.id),
      wide.body.results.slice(100, 120).map((j: { id: string }) => j.id),
      sort,
    );
    assert.equal(deep.body.results.length, 20);
  }
});
