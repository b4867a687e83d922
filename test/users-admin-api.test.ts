// User and customer administration: who may create and change which accounts, the errors
// they get otherwise, and that a deactivated account can no longer sign in.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { useFreshDatabase } from "./helpers/db";
import { api, V1 } from "./helpers/api";
import { signedInUser, type SignedInUser } from "./helpers/users";

let teardown: () => Promise<void>;
let aAdmin: SignedInUser;
let aUser: SignedInUser;
let bAdmin: SignedInUser;
let staff: SignedInUser;
let root: SignedInUser;

before(async () => {
  ({ teardown } = await useFreshDatabase());
  aAdmin = await signedInUser("customer_admin", "Admin A");
  aUser = await signedInUser("user", "Admin A");
  bAdmin = await signedInUser("customer_admin", "Admin B");
  staff = await signedInUser("staff", "Operator");
  root = await signedInUser("root_admin", "Operator");
});
after(() => teardown());

const signIn = (username: string, password: string) => api.post(`${V1}/token`, { form: { username, password } });
const expectError = (res: { status: number; body: any; text: string }, status: number, code: string) => {
  assert.equal(res.status, status, res.text);
  assert.equal(res.body.error.code, code, res.text);
  assert.ok(res.body.error.message && res.body.error.request_id);
};

test("customer admin creates a user in their customer, who can then sign in", async () => {
  const res = await api.post(`${V1}/users`, {
    token: aAdmin.token,
    body: { email: "New.Hire@A.test", name: "New Hire", role: "user", password: "a-long-password" },
  });
  assert.equal(res.status, 201, res.text);
  assert.equal(res.body.email, "new.hire@a.test");
  assert.equal(res.body.customer, "Admin A");
  assert.equal(res.body.active, true);
  assert.equal(res.body.password_hash, undefined);
  assert.equal(res.body.passwordHash, undefined);
  assert.equal((await signIn("new.hire@a.test", "a-long-password")).status, 200);
  const list = await api.get(`${V1}/users`, { token: aAdmin.token });
  assert.equal(list.status, 200);
  assert.ok(list.body.results.every((u: any) => u.customer === "Admin A"));
  assert.ok(list.body.results.some((u: any) => u.email === "new.hire@a.test"));
});

test("customer admin: only own customer, only roles user and customer_admin", async () => {
  const customers = (await api.get(`${V1}/customers`, { token: root.token })).body.results;
  const b = customers.find((c: any) => c.name === "Admin B");
  expectError(
    await api.post(`${V1}/users`, {
      token: aAdmin.token,
      body: { email: "x@b.test", password: "a-long-password", customer_id: b.id },
    }),
    403,
    "PERMISSION_DENIED",
  );
  for (const role of ["staff", "root_admin"]) {
    expectError(
      await api.post(`${V1}/users`, {
        token: aAdmin.token,
        body: { email: `${role}@a.test`, password: "a-long-password", role },
      }),
      403,
      "PERMISSION_DENIED",
    );
  }
  const admin2 = await api.post(`${V1}/users`, {
    token: aAdmin.token,
    body: { email: "admin2@a.test", password: "a-long-password", role: "customer_admin" },
  });
  assert.equal(admin2.status, 201);
  // B's admin neither lists nor changes A's users.
  const bList = (await api.get(`${V1}/users`, { token: bAdmin.token })).body.results;
  assert.ok(bList.every((u: any) => u.customer === "Admin B"));
  expectError(
    await api.patch(`${V1}/users/${admin2.body.id}`, { token: bAdmin.token, body: { active: false } }),
    404,
    "RESOURCE_NOT_FOUND",
  );
  expectError(
    await api.patch(`${V1}/users/${admin2.body.id}`, { token: aAdmin.token, body: { role: "root_admin" } }),
    403,
    "PERMISSION_DENIED",
  );
  expectError(
    await api.patch(`${V1}/users/${staff.id}`, { token: aAdmin.token, body: { name: "x" } }),
    404,
    "RESOURCE_NOT_FOUND",
  );
});

test("users and staff cannot administer accounts or customers", async () => {
  for (const u of [aUser, staff]) {
    expectError(await api.get(`${V1}/users`, { token: u.token }), 403, "PERMISSION_DENIED");
    expectError(
      await api.post(`${V1}/users`, { token: u.token, body: { email: "z@a.test", password: "a-long-password" } }),
      403,
      "PERMISSION_DENIED",
    );
    expectError(
      await api.patch(`${V1}/users/${aUser.id}`, { token: u.token, body: { name: "z" } }),
      403,
      "PERMISSION_DENIED",
    );
    expectError(await api.get(`${V1}/customers`, { token: u.token }), 403, "PERMISSION_DENIED");
  }
  expectError(await api.get(`${V1}/customers`, { token: aAdmin.token }), 403, "PERMISSION_DENIED");
  expectError(
    await api.post(`${V1}/customers`, { token: aAdmin.token, body: { name: "Sneaky" } }),
    403,
    "PERMISSION_DENIED",
  );
  assert.equal((await api.get(`${V1}/users`)).status, 401);
});

test("deactivated users cannot get a token and lose their access; reactivation restores it", async () => {
  const created = await api.post(`${V1}/users`, {
    token: aAdmin.token,
    body: { email: "leaver@a.test", password: "a-long-password" },
  });
  const token = (await signIn("leaver@a.test", "a-long-password")).body.access_token;
  assert.equal((await api.get(`${V1}/jobs`, { token })).status, 200);
  const off = await api.patch(`${V1}/users/${created.body.id}`, { token: aAdmin.token, body: { active: false } });
  assert.equal(off.status, 200, off.text);
  assert.equal(off.body.active, false);
  expectError(await signIn("leaver@a.test", "a-long-password"), 401, "CLIENT_TOKEN_INVALID");
  expectError(await api.get(`${V1}/jobs`, { token }), 401, "CLIENT_TOKEN_INVALID");
  assert.equal(
    (await api.get(`${V1}/users?active=false`, { token: aAdmin.token })).body.results.some(
      (u: any) => u.email === "leaver@a.test",
    ),
    true,
  );
  assert.equal(
    (await api.patch(`${V1}/users/${created.body.id}`, { token: aAdmin.token, body: { active: true } })).body.active,
    true,
  );
  assert.equal((await signIn("leaver@a.test", "a-long-password")).status, 200);
});

test("change role and name, reset password", async () => {
  const created = await api.post(`${V1}/users`, {
    token: aAdmin.token,
    body: { email: "promote@a.test", password: "first-password" },
  });
  const res = await api.patch(`${V1}/users/${created.body.id}`, {
    token: aAdmin.token,
    body: { role: "customer_admin", name: "Promoted", password: "second-password" },
  });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual([res.body.role, res.body.name], ["customer_admin", "Promoted"]);
  assert.equal((await signIn("promote@a.test", "first-password")).status, 401);
  const token = (await signIn("promote@a.test", "second-password")).body.access_token;
  assert.equal((await api.get(`${V1}/users`, { token })).status, 200, "the new customer_admin administers users");
});

test("admins cannot deactivate or demote themselves", async () => {
  expectError(
    await api.patch(`${V1}/users/${aAdmin.id}`, { token: aAdmin.token, body: { active: false } }),
    400,
    "PARAMETER_INCORRECT_VALUE",
  );
  expectError(
    await api.patch(`${V1}/users/${aAdmin.id}`, { token: aAdmin.token, body: { role: "user" } }),
    400,
    "PARAMETER_INCORRECT_VALUE",
  );
  assert.equal(
    (await api.patch(`${V1}/users/${aAdmin.id}`, { token: aAdmin.token, body: { name: "Me" } })).status,
    200,
  );
});

test("bad input: 400 with field details, 409 on a duplicate email, 404 on unknown ids", async () => {
  const bad = await api.post(`${V1}/users`, {
    token: aAdmin.token,
    body: { email: "not-an-email", password: "short", role: "king" },
  });
  expectError(bad, 400, "PARAMETER_INCORRECT_VALUE");
  assert.deepEqual(bad.body.error.details.map((d: any) => d.field).sort(), ["email", "password", "role"]);
  expectError(
    await api.post(`${V1}/users`, {
      token: aAdmin.token,
      rawBody: "{",
      headers: { "content-type": "application/json" },
    }),
    400,
    "PARAMETER_INCORRECT_VALUE",
  );
  expectError(
    await api.post(`${V1}/users`, {
      token: aAdmin.token,
      body: { email: aUser.email.toUpperCase(), password: "a-long-password" },
    }),
    409,
    "RESOURCE_ALREADY_EXISTS",
  );
  expectError(
    await api.patch(`${V1}/users/${aUser.id}`, { token: aAdmin.token, body: {} }),
    400,
    "PARAMETER_INCORRECT_VALUE",
  );
  expectError(
    await api.patch(`${V1}/users/${aUser.id}`, { token: aAdmin.token, body: { email: "x@y.z" } }),
    400,
    "PARAMETER_INCORRECT_VALUE",
  );
  expectError(
    await api.patch(`${V1}/users/abc`, { token: aAdmin.token, body: { name: "x" } }),
    400,
    "PARAMETER_INCORRECT_VALUE",
  );
  expectError(
    await api.patch(`${V1}/users/999999`, { token: aAdmin.token, body: { name: "x" } }),
    404,
    "RESOURCE_NOT_FOUND",
  );
  expectError(
    await api.post(`${V1}/users`, {
      token: root.token,
      body: { email: "nocustomer@x.test", password: "a-long-password" },
    }),
    400,
    "PARAMETER_INCORRECT_VALUE",
  );
  expectError(
    await api.post(`${V1}/users`, {
      token: root.token,
      body: { email: "ghost@x.test", password: "a-long-password", customer_id: 999999 },
    }),
    404,
    "RESOURCE_NOT_FOUND",
  );
});

test("root admin manages customers and users of any customer with any role", async () => {
  const c = await api.post(`${V1}/customers`, { token: root.token, body: { name: "  Initech " } });
  assert.equal(c.status, 201, c.text);
  assert.equal(c.body.name, "Initech");
  expectError(
    await api.post(`${V1}/customers`, { token: root.token, body: { name: "Initech" } }),
    409,
    "RESOURCE_ALREADY_EXISTS",
  );
  expectError(
    await api.post(`${V1}/customers`, { token: root.token, body: { name: "" } }),
    400,
    "PARAMETER_INCORRECT_VALUE",
  );
  const u = await api.post(`${V1}/users`, {
    token: root.token,
    body: { email: "boss@initech.test", password: "a-long-password", role: "customer_admin", customer_id: c.body.id },
  });
  assert.equal(u.status, 201, u.text);
  assert.equal(u.body.customer, "Initech");
  const s = await api.post(`${V1}/users`, {
    token: root.token,
    body: { email: "ops@initech.test", password: "a-long-password", role: "staff", customer_id: c.body.id },
  });
  assert.equal(s.status, 201);
  const customers = (await api.get(`${V1}/customers`, { token: root.token })).body.results;
  assert.deepEqual(customers.find((x: any) => x.name === "Initech").user_count, 2);
  const all = await api.get(`${V1}/users?per_page=300`, { token: root.token });
  assert.ok(new Set(all.body.results.map((x: any) => x.customer)).size >= 4);
  const onlyInitech = await api.get(`${V1}/users?customer_id=${c.body.id}`, { token: root.token });
  assert.equal(onlyInitech.body.pagination.total, 2);
  // The Initech admin cannot touch the staff account in their own customer.
  const bossToken = (await signIn("boss@initech.test", "a-long-password")).body.access_token;
  expectError(
    await api.patch(`${V1}/users/${s.body.id}`, { token: bossToken, body: { active: false } }),
    403,
    "PERMISSION_DENIED",
  );
  assert.equal(
    (await api.patch(`${V1}/users/${s.body.id}`, { token: root.token, body: { role: "user" } })).body.role,
    "user",
  );
});
