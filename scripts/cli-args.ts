/** `--key value` / `--flag` parsing for the small CLIs; unknown flags are an error. */
export function parseArgs(
  argv: string[],
  known: Record<string, "string" | "boolean">,
): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const m = argv[i].match(/^--([\w-]+)(?:=(.*))?$/);
    if (!m || !(m[1] in known))
      throw new Error(
        `Unknown argument '${argv[i]}'. Known: ${Object.keys(known)
          .map((k) => `--${k}`)
          .join(" ")}`,
      );
    if (known[m[1]] === "boolean") out[m[1]] = true;
    else {
      const value = m[2] ?? argv[++i];
      if (value === undefined) throw new Error(`--${m[1]} needs a value`);
      out[m[1]] = value;
    }
  }
  return out;
}

export async function runCli(main: () => Promise<void>) {
  try {
    await main();
  } catch (err) {
    console.error(`error: ${(err as Error).message}`);
    process.exitCode = 1;
  } finally {
    const { closeDb } = await import("../lib/db/client");
    await closeDb();
  }
}
