// Issue #12's loop end to end, across its parts: an enrolled machine (enrollment API, service
// agent endpoints) is measured, a degraded run is re-run on that machine alone (machine
// health), the confirmation makes it suspect, a subscribed webhook receiver on 127.0.0.1 gets
// exactly one signed node.suspect, an admin quarantines it (node.quarantined) and the drain list
// names it.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { useFreshDatabase } from "./helpers/db";
import { api, V1 } from "./helpers/api";
import { signedInUser, type SignedInUser } from "./helpers/users";
import { H200_MODEL, runH200Job, runH200NodeOnJob } from "./helpers/h200-node";
import { startReceiver } from "./helpers/webhook-receiver";
import { waitFor } from "./helpers/wait";
import { getDb } from "../lib/db/client";
import { refreshFleetReferences } from "../lib/performance/references";
import { startHealthWorkers } from "../lib/health/workers";
import { startWebhookWorkers } from "../lib/webhooks/workers";
import { verifySignature } from "../lib/webhooks/signing";
import { eventEnvelopeSchema } from "../lib/events/outbox";

const UUID = "cv-h200-07";
const HOST = "gpu-07.rack-3";
const GPUS = 2;
let teardown: () => Promise<void>;
let owner: SignedInUser;
let admin: SignedInUser;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

before(async () => {
  ({ teardown } = await useFreshDatabase());
  owner = await signedInUser("user", "Loop Co");
  admin = await signedInUser("customer_admin", "Loop Co");
  receiver = await startReceiver();
});
after(async () => {
  await receiver.close();
  await teardown();
});

test("measure → flag → confirm on the same machine → suspect → one signed webhook → quarantine → drain list", async () => {
  const db = await getDb();
  // Enrolled through the API, as `benchboard-agent.mjs service --enroll-token` does.
  const token = await api.post(`${V1}/enrollment-tokens`, { token: admin.token, body: { name: "rack 3" } });
  assert.equal(token.status, 201, token.text);
  const enrolled = await api.post(`${V1}/agents/enroll`, {
    token: token.body.token,
    body: { machine_uuid: UUID, hostname: HOST, gpu_model: H200_MODEL, gpu_count: GPUS, agent_version: "test" },
  });
  assert.equal(enrolled.status, 201, enrolled.text);
  const credential = enrolled.body.machine_credential as string;

  // A stable history on the real H200 figures (±0.4 %), so the fleet and own references exist.
  for (const [i, scale] of [1.0, 0.996, 1.004, 0.998, 1.002, 1.001].entries())
    await runH200Job(owner.token, { machineUuid: UUID, hostname: HOST, scale, gpuCount: GPUS, name: `stable ${i}` });
  await refreshFleetReferences(db, [H200_MODEL], true);

  const hook = await api.post(`${V1}/webhooks`, {
    token: admin.token,
    body: { url: receiver.url, events: ["node.suspect", "node.quarantined"] },
  });
  assert.equal(hook.status, 201, hook.text);
  const secret = hook.body.secret as string;
  await startHealthWorkers({ pollingIntervalSeconds: 0.5 });
  await startWebhookWorkers();

  // The drop: 20 % below on every key metric.
  const first = await runH200Job(owner.token, { machineUuid: UUID, hostname: HOST, scale: 0.8, gpuCount: GPUS });

  // The machine's service agent is handed the confirmation re-run with its job token.
  let work: { job: { id: string; token: string; name: string } | null } = { job: null };
  await waitFor(
    async () => {
      const res = await api.get(`${V1}/agents/work?wait=0`, { token: credential });
      assert.equal(res.status, 200, res.text);
      work = res.body;
      return work.job !== null;
    },
    30_000,
    "the confirmation re-run to reach the enrolled machine",
  );
  const rerun = await db.job.findUniqueOrThrow({ where: { id: BigInt(work.job!.id) } });
  assert.equal(rerun.origin, "confirmation");
  assert.equal(rerun.confirmsTaskId, BigInt(first.taskId));
  const confirm = await runH200NodeOnJob(work.job!.token, {
    machineUuid: UUID,
    hostname: HOST,
    scale: 0.8,
    gpuCount: GPUS,
  });

  await waitFor(() => receiver.of("node.suspect").length > 0, 30_000, "node.suspect at the receiver");
  await new Promise((r) => setTimeout(r, 2000)); // and nothing more arrives
  const suspect = receiver.of("node.suspect");
  assert.equal(suspect.length, 1, "exactly one node.suspect");
  const signature = suspect[0].headers["x-benchboard-signature"] as string;
  assert.ok(verifySignature(secret, signature, suspect[0].body), "the signature verifies with the webhook's secret");
  const envelope = eventEnvelopeSchema.parse(JSON.parse(suspect[0].body));
  const data = envelope.data as any;
  assert.equal(data.machine.hostname, HOST);
  assert.equal(data.evidence.original.task_id, first.taskId);
  assert.equal(data.evidence.confirmation.task_id, confirm.taskId);

  // An admin quarantines it; the receiver hears of it, and the drain list names the host.
  const machineId = enrolled.body.machine_id as number;
  const q = await api.post(`${V1}/machines/${machineId}/health`, {
    token: admin.token,
    body: { state: "quarantined", note: "bf16 20 % low twice" },
  });
  assert.equal(q.status, 200, q.text);
  await waitFor(() => receiver.of("node.quarantined").length === 1, 30_000, "node.quarantined at the receiver");
  const drain = await api.get(`${V1}/machines/drain-list?format=slurm`, { token: admin.token });
  assert.equal(drain.status, 200, drain.text);
  assert.match(drain.text, new RegExp(`scontrol update nodename=${HOST.replace(/\./g, "\\.")} state=drain`));
});
