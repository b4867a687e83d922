import pg from "pg";
for (const cs of ["postgres://postgres@127.0.0.1:5432/postgres", "postgres://postgres@localhost/postgres?host=/var/run/postgresql"]) {
  const c = new pg.Client({ connectionString: cs }); await c.connect();
  for (let i = 0; i < 200; i++) await c.query("SELECT $1::int", [i]);
  const t = performance.now(), cpu = process.cpuUsage();
  for (let i = 0; i < 3000; i++) await c.query("SELECT $1::int", [i]);
  const u = process.cpuUsage(cpu);
  console.log(cs.includes("host=") ? "unix" : "tcp ", ((performance.now() - t) / 3000).toFixed(3), "ms wall/query", ((u.user + u.system) / 1000 / 3000).toFixed(3), "ms cpu/query");
  await c.end();
}
