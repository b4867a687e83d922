// Applies pending SQL migrations to the configured database (PGlite folder or DATABASE_URL).
import { ConfigError, validateEnv } from "../lib/config/env";
import { databaseConfig } from "../lib/db/config";
import { migrate } from "../lib/db/migrate";
import { openSqlDriver } from "../lib/db/sql-driver";

// The first step of `npm start` and of every deployment: a misconfigured server stops here,
// with every bad variable named, before it touches the database.
try {
  validateEnv();
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(err.message);
  process.exit(2);
}
const config = databaseConfig();
const db = await openSqlDriver(config);
try {
  const applied = await migrate(db);
  const where = config.kind === "postgres" ? config.url.replace(/\/\/[^@]*@/, "//***@") : config.dataDir;
  console.log(applied.length ? `Applied ${applied.join(", ")} to ${where}` : `Schema up to date (${where})`);
} finally {
  await db.close();
}
