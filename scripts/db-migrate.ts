// Applies pending SQL migrations to the configured database (PGlite folder or DATABASE_URL).
import { databaseConfig } from "../lib/db/config";
import { migrate } from "../lib/db/migrate";
import { openSqlDriver } from "../lib/db/sql-driver";

const config = databaseConfig();
const db = await openSqlDriver(config);
try {
  const applied = await migrate(db);
  const where = config.kind === "postgres" ? config.url.replace(/\/\/[^@]*@/, "//***@") : config.dataDir;
  console.log(applied.length ? `Applied ${applied.join(", ")} to ${where}` : `Schema up to date (${where})`);
} finally {
  await db.close();
}
