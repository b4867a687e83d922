// `npm run docs:env`: rewrites the README's configuration table from lib/config/env.ts, the
// one list of environment variables (test/config-env.test.ts fails when the two differ).
import fs from "node:fs";
import { configurationTable } from "../lib/config/env";
import { README_TABLE_END, README_TABLE_START } from "../lib/config/readme-table";

const readme = fs.readFileSync("README.md", "utf8");
const start = readme.indexOf(README_TABLE_START);
const end = readme.indexOf(README_TABLE_END);
if (start < 0 || end < start)
  throw new Error(`README.md lacks the ${README_TABLE_START} … ${README_TABLE_END} markers`);
const next = `${readme.slice(0, start + README_TABLE_START.length)}\n${configurationTable()}\n${readme.slice(end)}`;
fs.writeFileSync("README.md", next);
console.log(
  next === readme ? "README.md configuration table is up to date." : "README.md configuration table rewritten.",
);
