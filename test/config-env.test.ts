import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { describe, it } from "node:test";
import { ConfigError, configurationTable, ENV, env, validateEnv } from "../lib/config/env";
import { readmeTable } from "../lib/config/readme-table";

describe("configuration (lib/config/env.ts)", () => {
  it("README's configuration table is the one generated from the module", () => {
    const inReadme = readmeTable(fs.readFileSync("README.md", "utf8"));
    assert.ok(inReadme, "README.md lacks the configuration table markers");
    assert.equal(inReadme, configurationTable(), "README.md is out of date: run `npm run docs:env`");
  });

  it("every variable the server code reads through process.env.NAME is declared", () => {
    const undeclared = new Set<string>();
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = `${dir}/${e.name}`;
        if (e.isDirectory() && e.name !== "generated") walk(p);
        else if (/\.tsx?$/.test(e.name) && !e.name.endsWith(".test.ts")) {
          for (const m of fs.readFileSync(p, "utf8").matchAll(/process\.env\.([A-Z][A-Z0-9_]*)/g)) {
            // NEXT_RUNTIME and NODE_TEST_CONTEXT are set by Next.js and node:test, not by operators.
            if (!(m[1] in ENV) && !["NEXT_RUNTIME", "NODE_TEST_CONTEXT", "NODE_ENV"].includes(m[1]))
              undeclared.add(`${p}: ${m[1]}`);
          }
        }
      }
    };
    ["lib", "app", "components"].forEach(walk);
    assert.deepEqual([...undeclared], []);
  });

  it("defaults apply when a variable is unset or blank", () => {
    assert.equal(env("BCRYPT_COST", {}), 10);
    assert.equal(env("PERFORMANCE_THRESHOLD", { PERFORMANCE_THRESHOLD: " " }), 0.9);
    assert.equal(env("RATE_LIMIT_DISABLED", {}), false);
    assert.equal(env("DATABASE_URL", {}), undefined);
  });

  it("parses values into their types", () => {
    assert.equal(env("PERFORMANCE_THRESHOLD", { PERFORMANCE_THRESHOLD: "0.85" }), 0.85);
    assert.equal(env("RATE_LIMIT_DISABLED", { RATE_LIMIT_DISABLED: "true" }), true);
    assert.equal(env("REDIS_URL", { REDIS_URL: "redis://127.0.0.1:6379" }), "redis://127.0.0.1:6379");
  });

  it("validateEnv names every bad variable at once", () => {
    assert.throws(
      () =>
        validateEnv({ BCRYPT_COST: "ten", DATABASE_URL: "mysql://x", PERFORMANCE_THRESHOLD: "1.5", LOG_LEVEL: "loud" }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.equal(err.problems.length, 4);
        assert.match(err.message, /BCRYPT_COST must be an integer between 4 and 15 \(got 'ten'\)/);
        assert.match(err.message, /DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL/);
        assert.match(err.message, /PERFORMANCE_THRESHOLD must be a number > 0 and <= 1/);
        assert.match(err.message, /LOG_LEVEL must be one of/);
        return true;
      },
    );
    assert.doesNotThrow(() => validateEnv({}));
  });

  it("TRUSTED_PROXIES takes IPv4/IPv6 addresses and CIDR blocks, and names a bad entry", () => {
    assert.doesNotThrow(() => validateEnv({ TRUSTED_PROXIES: "127.0.0.1, 10.0.0.0/8, ::1, fe80::/64" }));
    for (const bad of ["300.1.1.1", "proxy.internal", "10.0.0.0/40", "::1/129"]) {
      assert.throws(
        () => validateEnv({ TRUSTED_PROXIES: bad }),
        new RegExp(
          `TRUSTED_PROXIES has an entry that is not an IP address or CIDR block: '${bad.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}'`,
        ),
      );
    }
  });

  it("a change to process.env is seen on the next read", () => {
    const saved = process.env.EXPORT_PAGE_SIZE;
    try {
      process.env.EXPORT_PAGE_SIZE = "120";
      assert.equal(env("EXPORT_PAGE_SIZE"), 120);
      process.env.EXPORT_PAGE_SIZE = "240";
      assert.equal(env("EXPORT_PAGE_SIZE"), 240);
    } finally {
      if (saved === undefined) delete process.env.EXPORT_PAGE_SIZE;
      else process.env.EXPORT_PAGE_SIZE = saved;
    }
  });

  it("`npm run db:migrate` refuses to start with a bad setting and says which", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/db-migrate.ts"], {
      env: { ...process.env, BCRYPT_COST: "99", PGLITE_DATA_DIR: "memory://", DATABASE_URL: "" },
      encoding: "utf8",
    });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /Invalid configuration:\n  BCRYPT_COST must be an integer between 4 and 15 \(got '99'\)/);
  });
});
