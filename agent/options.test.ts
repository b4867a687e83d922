import assert from "node:assert/strict";
import { test } from "node:test";
import { defaultStateFile, parseAgentArgs, UsageError } from "./options";
import { backoffDelayMs } from "./service";

test("flags parse into options; the token may come from the environment or the vendor's -api-key", () => {
  const o = parseAgentArgs(
    [
      "--url",
      "http://d",
      "--runner",
      "quick_mark=./qm --fast",
      "--runner",
      "inference=docker run x",
      "--device",
      "cpu",
      "--listen-port",
      "29400",
    ],
    { BENCHBOARD_JOB_TOKEN: "from-env" },
  );
  assert.equal(o.url, "http://d");
  assert.equal(o.token, "from-env");
  assert.deepEqual(o.runners, { quick_mark: "./qm --fast", inference: "docker run x" });
  assert.equal(o.device, "cpu");
  assert.equal(o.listenPort, 29400);
  assert.equal(o.python, "python3");
  assert.equal(parseAgentArgs(["-api-key", "vendor-token"], {}).token, "vendor-token");
  assert.equal(parseAgentArgs(["-api-key=vendor-token", "--token", "wins"], {}).token, "wins");
});

test("bad usage is a UsageError that names the problem", () => {
  assert.throws(
    () => parseAgentArgs(["--runner", "no-equals-sign"], {}),
    (e) => e instanceof UsageError && /BENCHMARK_ID=CMD/.test(e.message),
  );
  assert.throws(() => parseAgentArgs(["--device", "tpu"], {}), /--device must be cuda or cpu/);
  assert.throws(() => parseAgentArgs(["--listen-port", "70000"], {}), /--listen-port must be an integer/);
  assert.throws(() => parseAgentArgs(["--machine-id", "has space"], {}), /--machine-id may contain/);
  assert.throws(
    () => parseAgentArgs(["--what"], {}),
    (e) => e instanceof UsageError && /--what/.test(e.message),
  );
});

test("service mode: the command, the enrollment token from the environment, a state file by default", () => {
  const o = parseAgentArgs(["service", "--url", "http://d"], { BENCHBOARD_ENROLL_TOKEN: "bbe_x", HOME: "/home/ada" });
  assert.equal(o.command, "service");
  assert.equal(o.enrollToken, "bbe_x");
  assert.match(o.stateFile, /benchboard-agent\/state\.json$/);
  assert.equal(parseAgentArgs(["--state-file", "/tmp/s.json"], {}).stateFile, "/tmp/s.json");
  assert.equal(parseAgentArgs([], {}).command, "run");
  assert.throws(() => parseAgentArgs(["serve"], {}), UsageError);
  assert.equal(defaultStateFile({}, 0), "/var/lib/benchboard-agent/state.json");
  assert.equal(defaultStateFile({ XDG_CONFIG_HOME: "/x" }, 1000), "/x/benchboard-agent/state.json");
});

test("service reconnects with exponential backoff and jitter, capped", () => {
  assert.equal(
    backoffDelayMs(1, () => 0),
    500,
  );
  assert.equal(
    backoffDelayMs(1, () => 1),
    1000,
  );
  assert.equal(
    backoffDelayMs(3, () => 0),
    2000,
  );
  assert.equal(
    backoffDelayMs(30, () => 1),
    60_000,
  );
  const spread = new Set(Array.from({ length: 20 }, () => backoffDelayMs(4)));
  assert.ok(spread.size > 1, "jitter spreads reconnecting agents");
});
