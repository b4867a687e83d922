// The permission table (lib/auth/permissions.ts, README "Security") cell by cell over the API:
// every role × job action × whose job, plus the role-level actions. Expected answers are
// written out here, not derived from the table, so a change to the table shows up as a diff.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { useFreshDatabase } from "./helpers/db";
import { api, V1 } from "./helpers/api";
import { signedInUser } from "./helpers/users";
import { getDb } from "../lib/db/client";
import type { Role } from "../lib/auth/roles";

type Person = Awaited<ReturnType<typeof signedInUser>>;
type Owner = "own" | "customer" | "other";
type JobAction = "read" | "update" | "cancel" | "delete";

// 200 allowed, 404 the job does not exist for the caller (as GET answers), 403 seen but not allowed.
const EXPECTED: Record<Role, Record<JobAction, Record<Owner, number>>> = {
  user: {
    read: { own: 200, customer: 404, other: 404 },
    update: { own: 200, customer: 404, other: 404 },
    cancel: { own: 200, customer: 404, other: 404 },
    delete: { own: 200, customer: 404, other: 404 },
  },
  customer_admin: {
    read: { own: 200, customer: 200, other: 404 },
    update: { own: 200, customer: 200, other: 404 },
    cancel: { own: 200, customer: 200, other: 404 },
    delete: { own: 200, customer: 200, other: 404 },
  },
  staff: {
    read: { own: 200, customer: 200, other: 200 },
    update: { own: 200, customer: 403, other: 403 },
    cancel: { own: 200, customer: 403, other: 403 },
    delete: { own: 200, customer: 403, other: 403 },
  },
  root_admin: {
    read: { own: 200, customer: 200, other: 200 },
    update: { own: 200, customer: 200, other: 403 },
    cancel: { own: 200, customer: 200, other: 403 },
    delete: { own: 200, customer: 200, other: 403 },
  },
};

// manage_fleet here is its role-level half (enrollment tokens, schedules, prices per GPU-hour); a machine's health per tenant
// is test/machine-health.test.ts.
const ROLE_LEVEL: Record<
  Role,
  { bulk_delete: number; manage_users: number; manage_customers: number; manage_fleet: number }
> = {
  user: { bulk_delete: 403, manage_users: 403, manage_customers: 403, manage_fleet: 403 },
  customer_admin: { bulk_delete: 200, manage_users: 200, manage_customers: 403, manage_fleet: 200 },
  staff: { bulk_delete: 403, manage_users: 403, manage_customers: 403, manage_fleet: 403 },
  root_admin: { bulk_delete: 200, manage_users: 200, manage_customers: 200, manage_fleet: 200 },
};

let teardown: () => Promise<void>;
const actors = {} as Record<Role, Person>;
let colleague: Record<Role, Person>;
let stranger: Person;
let n = 0;

async function jobOf(p: Person): Promise<{ id: string; name: string }> {
  const res = await api.post(`${V1}/jobs`, {
    token: p.token,
    body: { benchmarks: ["quick_mark"], name: `perm-${++n}` },
  });
  assert.equal(res.status, 201, res.text);
  return res.body;
}

function act(action: JobAction, token: string, id: string) {
  if (action === "read") return api.get(`${V1}/jobs/${id}`, { token });
  if (action === "update")
    return api.patch(`${V1}/jobs/${id}`, { token, body: { name: `renamed-${++n}`, tags: ["touched"] } });
  if (action === "cancel") return api.post(`${V1}/jobs/${id}/cancel`, { token });
  return api.delete(`${V1}/jobs/delete`, { token, body: { id: Number(id) } });
}

/** What the job's creator sees afterwards: the proof a refused action changed nothing. */
async function stateAfter(creator: Person, id: string) {
  const res = await api.get(`${V1}/jobs/${id}`, { token: creator.token });
  return res.status === 404 ? "deleted" : { state: res.body.state, tags: res.body.tags, name: res.body.name };
}

before(async () => {
  ({ teardown } = await useFreshDatabase());
  const roles: Role[] = ["user", "customer_admin", "staff", "root_admin"];
  colleague = {} as Record<Role, Person>;
  for (const role of roles) {
    // Each actor has its own customer, with a plain-user colleague, so cells never interfere.
    actors[role] = await signedInUser(role, `Perm ${role}`);
    colleague[role] = await signedInUser("user", `Perm ${role}`);
  }
  stranger = await signedInUser("user", "Perm Elsewhere");
});
after(() => teardown());

describe("role × job action × owner", () => {
  for (const role of Object.keys(EXPECTED) as Role[]) {
    for (const action of Object.keys(EXPECTED[role]) as JobAction[]) {
      test(`${role} ${action}`, async () => {
        for (const owner of ["own", "customer", "other"] as Owner[]) {
          const creator = owner === "own" ? actors[role] : owner === "customer" ? colleague[role] : stranger;
          const job = await jobOf(creator);
          const before = await stateAfter(creator, job.id);
          const want = EXPECTED[role][action][owner];
          if (action !== "read" && EXPECTED[role].read[owner] === 200) {
            // The job page offers a command exactly where the API would carry it out.
            const seen = await api.get(`${V1}/jobs/${job.id}`, { token: actors[role].token });
            assert.equal(seen.body.caller_permissions[action], want === 200, `${role} sees ${owner}'s ${action}`);
          }
          const res = await act(action, actors[role].token, job.id);
          assert.equal(res.status, want, `${role} ${action} ${owner}'s job: ${res.text}`);
          if (want !== 200) {
            assert.equal(res.body.error.code, want === 404 ? "RESOURCE_NOT_FOUND" : "PERMISSION_DENIED");
            assert.deepEqual(await stateAfter(creator, job.id), before, "a refused action changes nothing");
          } else if (action !== "read") {
            assert.notDeepEqual(await stateAfter(creator, job.id), before, "an allowed action took effect");
          }
        }
      });
    }
  }
});

describe("role-level actions", () => {
  for (const role of Object.keys(ROLE_LEVEL) as Role[]) {
    test(`${role}: bulk delete, users, customers, fleet`, async () => {
      const token = actors[role].token;
      const want = ROLE_LEVEL[role];
      const victim = await jobOf(stranger);
      const mine = await jobOf(colleague[role]);
      await (
        await getDb()
      ).job.updateMany({
        where: { id: { in: [BigInt(victim.id), BigInt(mine.id)] } },
        data: { state: "completed", endedAt: new Date("2020-01-01") },
      });
      const bulk = await api.delete(`${V1}/jobs?finished_before=2021-01-01`, { token });
      assert.equal(bulk.status, want.bulk_delete, bulk.text);
      const gone = async (id: string, owner: Person) =>
        (await api.get(`${V1}/jobs/${id}`, { token: owner.token })).status === 404;
      assert.equal(await gone(mine.id, colleague[role]), want.bulk_delete === 200, "own customer's old job");
      assert.equal(
        await gone(victim.id, stranger),
        role === "root_admin",
        "another customer's old job: root admins only",
      );
      // Restore the stranger's job for the next role.
      await (await getDb()).job.update({ where: { id: BigInt(victim.id) }, data: { deletedAt: null } });
      const users = await api.get(`${V1}/users`, { token });
      assert.equal(users.status, want.manage_users, users.text);
      const { customerId } = await (await getDb()).user.findUniqueOrThrow({ where: { email: actors[role].email } });
      const created = await api.post(`${V1}/users`, {
        token,
        body: {
          email: `made-by-${role}-${++n}@perm.test`,
          password: "long enough password",
          role: "user",
          customer_id: customerId,
        },
      });
      assert.equal(created.status, want.manage_users === 200 ? 201 : 403, created.text);
      const customers = await api.get(`${V1}/customers`, { token });
      assert.equal(customers.status, want.manage_customers, customers.text);
      const fleet = await api.post(`${V1}/enrollment-tokens`, { token, body: { name: `by ${role}` } });
      assert.equal(fleet.status, want.manage_fleet === 200 ? 201 : 403, fleet.text);
      const schedules = await api.get(`${V1}/schedules`, { token });
      assert.equal(schedules.status, want.manage_fleet, schedules.text);
      const prices = await api.put(`${V1}/gpu-prices`, { token, body: { prices: [] } });
      assert.equal(prices.status, want.manage_fleet, prices.text);
    });
  }
});
