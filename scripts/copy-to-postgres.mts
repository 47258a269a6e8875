// `npm run db:copy-to-postgres -- --from <sqlite file> --to <postgres url> [--force]`: copies the embedded SQLite
// database into a new, empty PostgreSQL database (db/pg/copy.ts). --from defaults to DATABASE_PATH (else
// ./data/callbacks.db), --to to DATABASE_URL. --force copies from a database a server still runs on (a snapshot).
// Exit codes: 0 copied, 1 refused or failed (nothing committed), 2 usage. docs/deployment.md.
import { parseArgs } from "node:util";
import { copySqliteToPostgres, CopyRefusedError } from "../db/pg/copy";

const usage = "usage: npm run db:copy-to-postgres -- --from <sqlite file> --to <postgres://…> [--force] [--batch <rows>]";
let values: { from?: string; to?: string; force?: boolean; batch?: string };
try {
  ({ values } = parseArgs({
    options: { from: { type: "string" }, to: { type: "string" }, force: { type: "boolean" }, batch: { type: "string" } },
  }));
} catch (e) {
  console.error(`${(e as Error).message}\n${usage}`);
  process.exit(2);
}
const from = values.from ?? process.env.DATABASE_PATH ?? "./data/callbacks.db";
const to = values.to ?? process.env.DATABASE_URL;
const batchSize = values.batch === undefined ? undefined : Number(values.batch);
if (!to || !/^postgres(ql)?:\/\//.test(to) || (batchSize !== undefined && !(Number.isInteger(batchSize) && batchSize > 0))) {
  console.error(usage);
  process.exit(2);
}
// the URL may carry a password: never print it
const shown = to.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");

try {
  console.log(`copying ${from} to ${shown}`);
  const report = await copySqliteToPostgres({ from, to, force: values.force, batchSize, log: (l) => console.log(`  ${l}`) });
  const total = report.tables.reduce((s, t) => s + t.rows, 0);
  const width = Math.max(...report.tables.map((t) => t.table.length));
  console.log("copied and verified (row counts match the source snapshot):");
  for (const t of report.tables) console.log(`  ${t.table.padEnd(width)}  ${t.rows}`);
  for (const s of report.sequences) console.log(`  next ${s.table} id: ${s.next}`);
  console.log(`${total} rows in ${report.ms} ms. Point the servers at it with DATABASE_URL once they run on PostgreSQL.`);
} catch (e) {
  console.error(e instanceof CopyRefusedError ? `refused: ${e.message}` : `failed, nothing committed: ${(e as Error).message}`);
  process.exit(1);
}
