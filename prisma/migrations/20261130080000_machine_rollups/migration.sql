-- GET /machines and the fleet heatmap at 1M jobs (163k machines) without probing every machine
-- of the caller's customers per request: a row per machine and job owner, and one per machine
-- for "any owner" (user_id 0), each holding that scope's latest visible node — exactly what
-- lib/fleet/queries.ts used to compute per request: nodes of live (not soft-deleted) jobs in
-- the machine's own customer, state <> 'rejected', latest by (created_at, id). A user reads
-- (customer, own user_id), a customer admin (customer, 0), staff and root every customer's 0
-- rows (lib/auth/visibility.ts machineRollupVisibilitySql). Triggers keep it in the same
-- transaction as every change; the machine's id, GPU model and sort name are copied from
-- machines so each order and filter is an index scan of this table alone.
CREATE TABLE "machine_rollups" (
    "customer_id" INTEGER NOT NULL,
    "machine_uuid" TEXT NOT NULL,
    "user_id" INTEGER NOT NULL,
    "latest_task_id" BIGINT NOT NULL,
    "latest_created_at" TIMESTAMPTZ(3) NOT NULL,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL,
    "status" TEXT NOT NULL,
    "status_rank" INTEGER NOT NULL,
    "node_count" INTEGER NOT NULL,
    "machine_id" INTEGER,
    "gpu_model" TEXT,
    "sort_name" TEXT,
    CONSTRAINT "machine_rollups_pkey" PRIMARY KEY ("customer_id", "machine_uuid", "user_id")
);

-- One customer's scope (a user's or the admin's 0 rows) per order and filter...
CREATE INDEX "machine_rollups_customer_id_user_id_last_seen_at_machine_id_idx" ON "machine_rollups"("customer_id", "user_id", "last_seen_at", "machine_id");
CREATE INDEX "machine_rollups_customer_id_user_id_status_rank_last_seen_a_idx" ON "machine_rollups"("customer_id", "user_id", "status_rank", "last_seen_at", "machine_id");
CREATE INDEX "machine_rollups_customer_id_user_id_gpu_model_last_seen_at__idx" ON "machine_rollups"("customer_id", "user_id", "gpu_model", "last_seen_at", "machine_id");
CREATE INDEX "machine_rollups_customer_id_user_id_sort_name_idx" ON "machine_rollups"("customer_id", "user_id", "sort_name");
-- ...and every customer's (staff, root): only the "any owner" rows. The queries spell
-- `user_id = 0` as a literal so these partial indexes match.
CREATE INDEX "machine_rollups_all_last_seen_idx" ON "machine_rollups"("last_seen_at", "machine_id") WHERE "user_id" = 0;
CREATE INDEX "machine_rollups_all_status_idx" ON "machine_rollups"("status_rank", "last_seen_at", "machine_id") WHERE "user_id" = 0;
CREATE INDEX "machine_rollups_all_gpu_model_idx" ON "machine_rollups"("gpu_model", "last_seen_at", "machine_id") WHERE "user_id" = 0;
CREATE INDEX "machine_rollups_all_sort_name_idx" ON "machine_rollups"("sort_name") WHERE "user_id" = 0;

-- The list's total and GPU-model choices: per scope, GPU model ('' for none) and status, how
-- many listed machines (roll-up rows with a machine row) there are — a few thousand rows in
-- all, kept by a trigger on machine_rollups. Each key has a few shards, by machine id: the
-- nodes of one big job join at once, each turning its machine's verdict to 'unknown', and a
-- single counter row would make their transactions wait for each other's commits. Only the
-- sum over shards is meaningful.
CREATE TABLE "machine_rollup_counts" (
    "customer_id" INTEGER NOT NULL,
    "user_id" INTEGER NOT NULL,
    "gpu_model" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "shard" INTEGER NOT NULL,
    "machines" INTEGER NOT NULL,
    CONSTRAINT "machine_rollup_counts_pkey" PRIMARY KEY ("customer_id", "user_id", "gpu_model", "status", "shard")
);
-- Staff and root read every customer's "any owner" rows: an index-only scan (with the counts).
CREATE INDEX "machine_rollup_counts_user_id_gpu_model_status_machines_idx" ON "machine_rollup_counts"("user_id", "gpu_model", "status", "machines");

-- "Problems first": the fleet list's status order (lib/fleet/queries.ts).
CREATE FUNCTION "machine_status_rank"(status text) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE status WHEN 'underperforming' THEN 0 WHEN 'regressed' THEN 1 WHEN 'unknown' THEN 2 ELSE 3 END;
$$;

-- A node's verdict and latest sign of life, as the list shows them.
CREATE FUNCTION "node_status"(performance jsonb) RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT COALESCE(performance->>'status', 'unknown'); $$;
CREATE FUNCTION "node_last_seen_at"(created timestamptz, heartbeat timestamptz, ended timestamptz) RETURNS timestamptz
LANGUAGE sql IMMUTABLE AS $$ SELECT GREATEST(created, heartbeat, ended); $$;

-- Recomputes one row from the machine's history: a backward walk on tasks (machine_uuid,
-- created_at, id) to the scope's latest visible node, and its visible nodes counted (a machine
-- runs tens of nodes, not millions). No visible node left: no row.
CREATE FUNCTION "machine_rollup_refresh"(cust integer, muuid text, usr integer) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  l record;
  n integer;
BEGIN
  SELECT t.id, t.created_at, "node_last_seen_at"(t.created_at, t.last_heartbeat_at, t.ended_at) AS seen, "node_status"(t.performance) AS status
    INTO l
    FROM "tasks" t JOIN "jobs" j ON j.id = t.job_id AND j.customer_id = cust
   WHERE t.machine_uuid = muuid AND t.state <> 'rejected' AND j.deleted_at IS NULL AND (usr = 0 OR j.user_id = usr)
   ORDER BY t.created_at DESC, t.id DESC LIMIT 1;
  IF NOT FOUND THEN
    DELETE FROM "machine_rollups" WHERE customer_id = cust AND machine_uuid = muuid AND user_id = usr;
    RETURN;
  END IF;
  SELECT count(*) INTO n
    FROM "tasks" t JOIN "jobs" j ON j.id = t.job_id AND j.customer_id = cust
   WHERE t.machine_uuid = muuid AND t.state <> 'rejected' AND j.deleted_at IS NULL AND (usr = 0 OR j.user_id = usr);
  INSERT INTO "machine_rollups" AS r (customer_id, machine_uuid, user_id, latest_task_id, latest_created_at, last_seen_at,
                                      status, status_rank, node_count, machine_id, gpu_model, sort_name)
  SELECT cust, muuid, usr, l.id, l.created_at, l.seen, l.status, "machine_status_rank"(l.status), n, m.id, m.gpu_model, COALESCE(m.hostname, m.uuid)
  FROM (SELECT 1) one LEFT JOIN "machines" m ON m.customer_id = cust AND m.uuid = muuid
  ON CONFLICT (customer_id, machine_uuid, user_id) DO UPDATE SET
    latest_task_id = EXCLUDED.latest_task_id, latest_created_at = EXCLUDED.latest_created_at, last_seen_at = EXCLUDED.last_seen_at,
    status = EXCLUDED.status, status_rank = EXCLUDED.status_rank, node_count = EXCLUDED.node_count
  WHERE (r.latest_task_id, r.last_seen_at, r.status, r.node_count) IS DISTINCT FROM
        (EXCLUDED.latest_task_id, EXCLUDED.last_seen_at, EXCLUDED.status, EXCLUDED.node_count);
END $$;

-- Both rows a node counts in: its job owner's and "any owner".
CREATE FUNCTION "machine_rollup_refresh_node"(cust integer, muuid text, usr integer) RETURNS void
LANGUAGE sql AS $$
  SELECT "machine_rollup_refresh"(cust, muuid, 0);
  SELECT "machine_rollup_refresh"(cust, muuid, usr);
$$;

-- A new node (the hot path of registration): counted, and the latest when it is newer.
CREATE FUNCTION "tasks_rollup_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  j record;
  seen timestamptz := "node_last_seen_at"(NEW.created_at, NEW.last_heartbeat_at, NEW.ended_at);
  st text := "node_status"(NEW.performance);
BEGIN
  SELECT customer_id, user_id INTO j FROM "jobs" WHERE id = NEW.job_id AND deleted_at IS NULL;
  IF NOT FOUND THEN RETURN NULL; END IF;
  INSERT INTO "machine_rollups" AS r (customer_id, machine_uuid, user_id, latest_task_id, latest_created_at, last_seen_at,
                                      status, status_rank, node_count, machine_id, gpu_model, sort_name)
  SELECT j.customer_id, NEW.machine_uuid, u.id, NEW.id, NEW.created_at, seen, st, "machine_status_rank"(st), 1,
         m.id, m.gpu_model, COALESCE(m.hostname, m.uuid)
  FROM (VALUES (0), (j.user_id)) u(id)
  LEFT JOIN "machines" m ON m.customer_id = j.customer_id AND m.uuid = NEW.machine_uuid
  ON CONFLICT (customer_id, machine_uuid, user_id) DO UPDATE SET
    node_count = r.node_count + 1,
    -- The newer of the two nodes, by (created_at, id).
    (latest_task_id, latest_created_at, last_seen_at, status, status_rank) = (
      SELECT x.* FROM (VALUES (EXCLUDED.latest_task_id, EXCLUDED.latest_created_at, EXCLUDED.last_seen_at, EXCLUDED.status, EXCLUDED.status_rank),
                              (r.latest_task_id, r.latest_created_at, r.last_seen_at, r.status, r.status_rank)) x(id, created, seen, st, st_rank)
      ORDER BY x.created DESC, x.id DESC LIMIT 1);
  RETURN NULL;
END $$;
CREATE TRIGGER "tasks_rollup_insert" AFTER INSERT ON "tasks" FOR EACH ROW WHEN (NEW."state" <> 'rejected')
  EXECUTE FUNCTION "tasks_rollup_insert"();

-- A node changing. Heartbeats, its end and its verdict touch only the rows whose latest node
-- it is (one primary-key probe, no walk); a change of what makes it count or where (rejected,
-- another job, machine or owner — the job's owner change reaches tasks through
-- jobs_scope_to_tasks) recomputes the rows it left and joined.
CREATE FUNCTION "tasks_rollup_update"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  st text;
BEGIN
  IF OLD.job_id IS DISTINCT FROM NEW.job_id OR OLD.machine_uuid IS DISTINCT FROM NEW.machine_uuid
     OR OLD.customer_id IS DISTINCT FROM NEW.customer_id OR OLD.user_id IS DISTINCT FROM NEW.user_id
     OR OLD.created_at IS DISTINCT FROM NEW.created_at OR (OLD.state = 'rejected') <> (NEW.state = 'rejected') THEN
    PERFORM "machine_rollup_refresh_node"(OLD.customer_id, OLD.machine_uuid, OLD.user_id);
    PERFORM "machine_rollup_refresh_node"(NEW.customer_id, NEW.machine_uuid, NEW.user_id);
    RETURN NULL;
  END IF;
  st := "node_status"(NEW.performance);
  UPDATE "machine_rollups" SET last_seen_at = "node_last_seen_at"(NEW.created_at, NEW.last_heartbeat_at, NEW.ended_at),
                               status = st, status_rank = "machine_status_rank"(st)
   WHERE customer_id = NEW.customer_id AND machine_uuid = NEW.machine_uuid AND user_id IN (0, NEW.user_id)
     AND latest_task_id = NEW.id;
  RETURN NULL;
END $$;
CREATE TRIGGER "tasks_rollup_update" AFTER UPDATE OF "job_id", "machine_uuid", "customer_id", "user_id", "created_at", "state",
    "last_heartbeat_at", "ended_at", "performance" ON "tasks"
  FOR EACH ROW WHEN (OLD."job_id" IS DISTINCT FROM NEW."job_id" OR OLD."machine_uuid" IS DISTINCT FROM NEW."machine_uuid"
                     OR OLD."customer_id" IS DISTINCT FROM NEW."customer_id" OR OLD."user_id" IS DISTINCT FROM NEW."user_id"
                     OR OLD."created_at" IS DISTINCT FROM NEW."created_at" OR (OLD."state" = 'rejected') <> (NEW."state" = 'rejected')
                     OR OLD."last_heartbeat_at" IS DISTINCT FROM NEW."last_heartbeat_at" OR OLD."ended_at" IS DISTINCT FROM NEW."ended_at"
                     OR (OLD."performance"->>'status') IS DISTINCT FROM (NEW."performance"->>'status'))
  EXECUTE FUNCTION "tasks_rollup_update"();

-- A node removed (a job's hard delete removes its tasks first): its rows are recomputed.
CREATE FUNCTION "tasks_rollup_delete"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "machine_rollup_refresh_node"(OLD.customer_id, OLD.machine_uuid, OLD.user_id);
  RETURN NULL;
END $$;
CREATE TRIGGER "tasks_rollup_delete" AFTER DELETE ON "tasks" FOR EACH ROW WHEN (OLD."state" <> 'rejected')
  EXECUTE FUNCTION "tasks_rollup_delete"();

-- A job soft-deleted or restored: every machine it ran on is recomputed (found by tasks
-- (job_id, machine_uuid)), so a machine moves to its previous visible node or disappears.
CREATE FUNCTION "jobs_rollup_visibility"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "machine_rollup_refresh_node"(NEW.customer_id, t.machine_uuid, NEW.user_id)
     FROM "tasks" t WHERE t.job_id = NEW.id AND t.state <> 'rejected';
  RETURN NULL;
END $$;
CREATE TRIGGER "jobs_rollup_visibility" AFTER UPDATE OF "deleted_at" ON "jobs"
  FOR EACH ROW WHEN ((OLD."deleted_at" IS NULL) <> (NEW."deleted_at" IS NULL))
  EXECUTE FUNCTION "jobs_rollup_visibility"();

-- The machine's copied attributes. Registration upserts the machine after inserting the node
-- (same statement), so a new machine's rows get them here; every other registration leaves
-- hostname and GPU model as they were, and the WHEN clause skips it.
CREATE FUNCTION "machines_rollup_copy"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    UPDATE "machine_rollups" SET machine_id = NULL, gpu_model = NULL, sort_name = NULL
     WHERE customer_id = OLD.customer_id AND machine_uuid = OLD.uuid;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    UPDATE "machine_rollups" SET machine_id = NEW.id, gpu_model = NEW.gpu_model, sort_name = COALESCE(NEW.hostname, NEW.uuid)
     WHERE customer_id = NEW.customer_id AND machine_uuid = NEW.uuid;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER "machines_rollup_insert_delete" AFTER INSERT OR DELETE ON "machines" FOR EACH ROW EXECUTE FUNCTION "machines_rollup_copy"();
CREATE TRIGGER "machines_rollup_update" AFTER UPDATE OF "id", "customer_id", "uuid", "hostname", "gpu_model" ON "machines"
  FOR EACH ROW WHEN (OLD."id" <> NEW."id" OR OLD."customer_id" <> NEW."customer_id" OR OLD."uuid" <> NEW."uuid"
                     OR OLD."hostname" IS DISTINCT FROM NEW."hostname" OR OLD."gpu_model" IS DISTINCT FROM NEW."gpu_model")
  EXECUTE FUNCTION "machines_rollup_copy"();

-- The counts follow the rows that are listed (those with a machine row).
CREATE FUNCTION "machine_rollup_count_add"(cust integer, usr integer, model text, st text, machine integer, delta integer) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO "machine_rollup_counts" AS c (customer_id, user_id, gpu_model, status, shard, machines)
  VALUES (cust, usr, COALESCE(model, ''), st, machine % 8, delta)
  ON CONFLICT (customer_id, user_id, gpu_model, status, shard) DO UPDATE SET machines = c.machines + EXCLUDED.machines;
$$;

CREATE FUNCTION "machine_rollups_maintain_counts"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.machine_id IS NOT NULL THEN
    PERFORM "machine_rollup_count_add"(OLD.customer_id, OLD.user_id, OLD.gpu_model, OLD.status, OLD.machine_id, -1);
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.machine_id IS NOT NULL THEN
    PERFORM "machine_rollup_count_add"(NEW.customer_id, NEW.user_id, NEW.gpu_model, NEW.status, NEW.machine_id, 1);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER "machine_rollups_counts_insert_delete" AFTER INSERT OR DELETE ON "machine_rollups"
  FOR EACH ROW EXECUTE FUNCTION "machine_rollups_maintain_counts"();
-- Heartbeats move last_seen_at only and do not fire it.
CREATE TRIGGER "machine_rollups_counts_update" AFTER UPDATE OF "customer_id", "user_id", "machine_id", "gpu_model", "status" ON "machine_rollups"
  FOR EACH ROW WHEN (OLD."customer_id" <> NEW."customer_id" OR OLD."user_id" <> NEW."user_id"
                     OR OLD."machine_id" IS DISTINCT FROM NEW."machine_id"
                     OR OLD."gpu_model" IS DISTINCT FROM NEW."gpu_model" OR OLD."status" <> NEW."status")
  EXECUTE FUNCTION "machine_rollups_maintain_counts"();

-- Existing databases: one pass over the nodes, sorted per machine (bench/seed.ts runs these
-- statements after its bulk load and its machines).
-- machine_rollups:begin
TRUNCATE "machine_rollups", "machine_rollup_counts";
-- Counted once at the end instead of row by row.
ALTER TABLE "machine_rollups" DISABLE TRIGGER USER;
INSERT INTO "machine_rollups" (customer_id, machine_uuid, user_id, latest_task_id, latest_created_at, last_seen_at,
                               status, status_rank, node_count, machine_id, gpu_model, sort_name)
SELECT x.customer_id, x.machine_uuid, x.uid, x.id, x.created_at, x.seen, x.status, "machine_status_rank"(x.status), x.n,
       m.id, m.gpu_model, COALESCE(m.hostname, m.uuid)
FROM (
  SELECT DISTINCT ON (j.customer_id, t.machine_uuid, u.uid) j.customer_id, t.machine_uuid, u.uid, t.id, t.created_at,
         "node_last_seen_at"(t.created_at, t.last_heartbeat_at, t.ended_at) AS seen, "node_status"(t.performance) AS status,
         count(*) OVER (PARTITION BY j.customer_id, t.machine_uuid, u.uid)::int AS n
  FROM "tasks" t
  JOIN "jobs" j ON j.id = t.job_id AND j.deleted_at IS NULL
  CROSS JOIN LATERAL (VALUES (0), (j.user_id)) u(uid)
  WHERE t.state <> 'rejected'
  ORDER BY j.customer_id, t.machine_uuid, u.uid, t.created_at DESC, t.id DESC
) x
LEFT JOIN "machines" m ON m.customer_id = x.customer_id AND m.uuid = x.machine_uuid;
ALTER TABLE "machine_rollups" ENABLE TRIGGER USER;
INSERT INTO "machine_rollup_counts" (customer_id, user_id, gpu_model, status, shard, machines)
SELECT customer_id, user_id, COALESCE(gpu_model, ''), status, machine_id % 8, count(*)::int
FROM "machine_rollups" WHERE machine_id IS NOT NULL GROUP BY 1, 2, 3, 4, 5;
-- machine_rollups:end
