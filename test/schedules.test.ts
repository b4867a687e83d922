// Schedules over the API and their ticks: cron validation, pause/resume/edit/delete, who may
// manage them, which enrolled machines a tick aims at (ids, GPU model, labels, online, idle)
// and that a tick runs once however often it is evaluated.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { useFreshDatabase } from "./helpers/db";
import { api, V1 } from "./helpers/api";
import { signedInUser, type SignedInUser } from "./helpers/users";
import { getDb } from "../lib/db/client";
import { runDueSchedules } from "../lib/schedules/tick";

let teardown: () => Promise<void>;
let admin: SignedInUser;
let user: SignedInUser;
let otherAdmin: SignedInUser;
let customerId: number;

before(async () => {
  ({ teardown } = await useFreshDatabase());
  admin = await signedInUser("customer_admin", "Sched A");
  user = await signedInUser("user", "Sched A");
  otherAdmin = await signedInUser("customer_admin", "Sched B");
  customerId = (await (await getDb()).user.findUniqueOrThrow({ where: { id: admin.id } })).customerId;
});
after(() => teardown());

let n = 0;
async function machine(o: { gpu?: string; labels?: string[]; state?: string; seenAgoS?: number; enrolled?: boolean }) {
  const now = Date.now();
  return (await getDb()).machine.create({
    data: {
      customerId,
      uuid: `sched-m-${++n}`,
      hostname: `sched-m-${n}`,
      gpuModel: o.gpu ?? "NVIDIA H100 80GB HBM3",
      gpuCount: 8,
      labels: o.labels ?? [],
      enrolledAt: o.enrolled === false ? null : new Date(now - 3600_000),
      agentState: o.state ?? "idle",
      agentSeenAt: new Date(now - (o.seenAgoS ?? 1) * 1000),
    },
  });
}

async function schedule(body: Record<string, unknown>, by = admin) {
  const res = await api.post(`${V1}/schedules`, {
    token: by.token,
    body: { name: `s-${++n}`, cron: "0 * * * *", benchmarks: ["quick_mark"], ...body },
  });
  assert.equal(res.status, 201, res.text);
  return res.body as { id: number; name: string; tag: string };
}

/** Makes the schedule active since before `tick`, so the tick at `tick` is due. */
async function activeBefore(id: number, tick: Date) {
  await (await getDb()).schedule.update({ where: { id }, data: { activeSince: new Date(tick.getTime() - 60_000) } });
}

const runsOf = async (id: number) => (await api.get(`${V1}/schedules/${id}?runs=50`, { token: admin.token })).body.runs;

describe("the schedules API", () => {
  test("cron is validated with a clear 400; too frequent crons are refused", async () => {
    for (const cron of ["not a cron", "61 * * * *", "* * *", "* * * * * * *", "* * * * *"]) {
      const res = await api.post(`${V1}/schedules`, {
        token: admin.token,
        body: { name: "bad", cron, benchmarks: ["quick_mark"] },
      });
      assert.equal(res.status, 400, `${cron}: ${res.text}`);
      assert.equal(res.body.error.code, "PARAMETER_INCORRECT_VALUE");
      assert.match(res.body.error.message, /^cron: /);
    }
    const unknownBenchmark = await api.post(`${V1}/schedules`, {
      token: admin.token,
      body: { name: "bad", cron: "0 * * * *", benchmarks: ["nope"] },
    });
    assert.equal(unknownBenchmark.status, 400);
    const strangerMachine = await api.post(`${V1}/schedules`, {
      token: otherAdmin.token,
      body: {
        name: "bad",
        cron: "0 * * * *",
        benchmarks: ["quick_mark"],
        target: { machine_ids: [(await machine({})).id] },
      },
    });
    assert.equal(strangerMachine.status, 400, strangerMachine.text);
  });

  test("create, list, pause, resume, edit, delete; names are unique per customer", async () => {
    const s = await schedule({ name: "nightly", cron: "0 2 * * *", target: { gpu_model: "H100", tags: ["rack-12"] } });
    assert.equal(s.tag, "schedule:nightly");
    const dup = await api.post(`${V1}/schedules`, {
      token: admin.token,
      body: { name: "nightly", cron: "0 3 * * *", benchmarks: ["quick_mark"] },
    });
    assert.equal(dup.status, 409);
    const list = await api.get(`${V1}/schedules`, { token: admin.token });
    const listed = list.body.results.find((x: { id: number }) => x.id === s.id);
    assert.deepEqual(listed.target, { gpu_model: "H100", machine_ids: [], tags: ["rack-12"] });
    assert.equal(listed.only_idle, true);
    assert.ok(listed.next_tick_at.endsWith("T02:00:00.000Z"));

    const paused = await api.patch(`${V1}/schedules/${s.id}`, { token: admin.token, body: { paused: true } });
    assert.equal(paused.body.paused, true);
    assert.equal(paused.body.next_tick_at, null);
    const edited = await api.patch(`${V1}/schedules/${s.id}`, {
      token: admin.token,
      body: { paused: false, cron: "30 4 * * 1", only_idle: false },
    });
    assert.equal(edited.status, 200, edited.text);
    assert.equal(edited.body.cron, "30 4 * * 1");
    assert.equal(edited.body.only_idle, false);
    const bad = await api.patch(`${V1}/schedules/${s.id}`, { token: admin.token, body: { cron: "nope" } });
    assert.equal(bad.status, 400);
    assert.equal((await api.patch(`${V1}/schedules/${s.id}`, { token: admin.token, body: {} })).status, 400);

    assert.equal((await api.get(`${V1}/schedules/${s.id}`, { token: otherAdmin.token })).status, 404);
    assert.equal((await api.get(`${V1}/schedules`, { token: user.token })).status, 403);
    assert.equal((await api.delete(`${V1}/schedules/${s.id}`, { token: user.token })).status, 403);
    assert.equal((await api.delete(`${V1}/schedules/${s.id}`, { token: admin.token })).status, 200);
    assert.equal((await api.get(`${V1}/schedules/${s.id}`, { token: admin.token })).status, 404);
  });
});

describe("ticks", () => {
  test("a due tick creates one job for the matching idle, online machines, tagged with the schedule", async () => {
    const match = await machine({ gpu: "NVIDIA H200", labels: ["rack-3", "ib"] });
    const busy = await machine({ gpu: "NVIDIA H200", labels: ["rack-3"], state: "busy" });
    await machine({ gpu: "NVIDIA H200", labels: ["rack-3"], seenAgoS: 3600 }); // offline
    await machine({ gpu: "NVIDIA L40S", labels: ["rack-3"] }); // other GPU
    await machine({ gpu: "NVIDIA H200", labels: ["rack-4"] }); // no label
    await machine({ gpu: "NVIDIA H200", labels: ["rack-3"], enrolled: false }); // one-off agents only
    // Machines' liveness is judged at the real time, so the ticks are the latest real ones.
    const tick = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const s = await schedule({
      cron: `${tick.getUTCMinutes()} * * * *`,
      target: { gpu_model: "h200", tags: ["rack-3"] },
    });
    await activeBefore(s.id, tick);
    const db = await getDb();

    const first = await runDueSchedules(db, new Date());
    assert.equal(first.created.length, 1);
    const job = await db.job.findUniqueOrThrow({ where: { id: first.created[0] }, include: { targets: true } });
    assert.equal(job.origin, "schedule");
    assert.deepEqual(job.tags, [s.tag]);
    assert.equal(job.nodeCount, 1);
    assert.deepEqual(
      job.targets.map((t) => t.machineId),
      [match.id],
    );
    // Evaluated again (another instance, a later check): nothing new for the same tick.
    const again = await runDueSchedules(db, new Date());
    assert.deepEqual(again.created, []);
    const runs = await runsOf(s.id);
    assert.equal(runs.length, 1);
    assert.equal(runs[0].tick_at, tick.toISOString());
    assert.equal(runs[0].job.id, job.id.toString());
    assert.equal(runs[0].machine_count, 1);

    // Not only idle: the busy machine is aimed at too (it picks the job up when free).
    if (new Date().getUTCSeconds() === 0) await new Promise((r) => setTimeout(r, 1100));
    const tick2 = new Date(Math.floor(Date.now() / 1000) * 1000);
    const edited = await api.patch(`${V1}/schedules/${s.id}`, {
      token: admin.token,
      body: { only_idle: false, cron: `${tick2.getUTCSeconds()} ${tick2.getUTCMinutes()} * * * *` },
    });
    assert.equal(edited.status, 200, edited.text);
    await activeBefore(s.id, tick2);
    const next = await runDueSchedules(db, new Date());
    assert.equal(next.created.length, 1);
    const wide = await db.job.findUniqueOrThrow({ where: { id: next.created[0] }, include: { targets: true } });
    assert.deepEqual(wide.targets.map((t) => t.machineId).sort(), [match.id, busy.id].sort());
    const listed = await api.get(`${V1}/jobs?tags=${encodeURIComponent(s.tag)}`, { token: admin.token });
    assert.equal(listed.status, 200);
    assert.equal(listed.body.results.length, 2, listed.text.slice(0, 300));
  });

  test("nothing matching: the run is recorded with the reason and no job; paused schedules do not tick", async () => {
    const db = await getDb();
    const s = await schedule({ cron: "15 * * * *", target: { tags: ["no-such-label"] } });
    const tick = new Date("2031-02-01T10:15:00Z");
    await activeBefore(s.id, tick);
    assert.deepEqual((await runDueSchedules(db, tick)).created, []);
    const runs = await runsOf(s.id);
    assert.equal(runs.length, 1);
    assert.equal(runs[0].job, null);
    assert.match(runs[0].skipped_reason, /No enrolled machine matches/);

    const p = await schedule({ cron: "20 * * * *", paused: true });
    await activeBefore(p.id, new Date("2031-02-01T10:20:00Z"));
    await runDueSchedules(db, new Date("2031-02-01T10:20:01Z"));
    assert.equal((await runsOf(p.id)).length, 0);
  });
});
