// `prisma generate` needs no engine, but the CLI insists on resolving its schema-engine
// binary first and tries to download it from a host that is unreachable in our build
// environments. Pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing file satisfies that
// check; generation itself is pure JS/WASM.
import { spawnSync } from "node:child_process";

const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
env.PRISMA_HIDE_UPDATE_MESSAGE = "1";
const r = spawnSync("npx", ["prisma", "generate", "--schema", "prisma/schema.prisma"], { stdio: "inherit", env });
process.exit(r.status ?? 1);
