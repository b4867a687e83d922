import assert from "node:assert/strict";
import { test } from "node:test";
import { parseAgentArgs, UsageError } from "./options";

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
