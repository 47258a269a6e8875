// Applies the PostgreSQL migrations (db/pg/migrations, listed in journal.json) at start. Several servers may
// start at once against one database: all of it runs in one transaction holding an advisory lock, so one applies
// the pending migrations and the others then find nothing to do. A database carrying a migration this code does
// not know (written by newer code) or whose applied migration differs from ours is refused, never touched.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type pg from "pg";

export interface PgMigration {
  id: number;
  tag: string;
  sql: string;
  hash: string;
}

export function pgMigrationsFolder(): string {
  return path.join(process.cwd(), "db", "pg", "migrations");
}

/** The migrations this code knows, in order. */
export function pgMigrations(folder = pgMigrationsFolder()): PgMigration[] {
  const journal = JSON.parse(fs.readFileSync(path.join(folder, "journal.json"), "utf8")) as { entries: { id: number; tag: string }[] };
  return journal.entries.map(({ id, tag }) => {
    const sql = fs.readFileSync(path.join(folder, `${tag}.sql`), "utf8");
    return { id, tag, sql, hash: crypto.createHash("sha256").update(sql).digest("hex") };
  });
}

/** The database was migrated by other code than this: starting on it could corrupt it. */
export class PgSchemaMismatchError extends Error {
  override name = "PgSchemaMismatchError";
}

// one key for every server of this application: pg_advisory_xact_lock takes a bigint
const LOCK_SQL = "SELECT pg_advisory_xact_lock(hashtext('callback-service:migrations'))";

export interface PgMigrateResult {
  /** tags applied by this call */
  applied: string[];
  /** tags present before this call */
  already: string[];
}

type Queryable = Pick<pg.Pool, "connect">;

export async function migratePg(pool: Queryable, migrations: PgMigration[] = pgMigrations()): Promise<PgMigrateResult> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query(LOCK_SQL);
    // created only when missing: a role without DDL rights may start on an up-to-date database
    const { rows: ledger } = await client.query<{ e: boolean }>("SELECT to_regclass('schema_migrations') IS NOT NULL AS e");
    if (!ledger[0].e)
      await client.query(
        "CREATE TABLE schema_migrations (id integer PRIMARY KEY, tag text NOT NULL, hash text NOT NULL, applied_at bigint NOT NULL)",
      );
    const { rows } = await client.query<{ id: number; tag: string; hash: string }>(
      "SELECT id, tag, hash FROM schema_migrations ORDER BY id",
    );
    const known = new Map(migrations.map((m) => [m.id, m]));
    const newest = migrations.at(-1)?.tag ?? "none";
    for (const row of rows) {
      const mine = known.get(row.id);
      if (!mine)
        throw new PgSchemaMismatchError(
          `the database has migration ${row.tag}, which this code does not know (it knows up to ${newest}): ` +
            "it was written by newer code; run that version or a newer one, not this one",
        );
      if (mine.tag !== row.tag || mine.hash !== row.hash)
        throw new PgSchemaMismatchError(
          `the database's migration ${row.id} is ${row.tag} (${row.hash.slice(0, 12)}), this code's is ${mine.tag} ` +
            `(${mine.hash.slice(0, 12)}): it was migrated by different code; refusing to start on it`,
        );
    }
    const done = new Set(rows.map((r) => r.id));
    const applied: string[] = [];
    for (const m of migrations) {
      if (done.has(m.id)) continue;
      await client.query(m.sql);
      await client.query("INSERT INTO schema_migrations (id, tag, hash, applied_at) VALUES ($1, $2, $3, $4)", [
        m.id,
        m.tag,
        m.hash,
        Date.now(),
      ]);
      applied.push(m.tag);
    }
    await client.query("COMMIT");
    return { applied, already: rows.map((r) => r.tag) };
  } catch (e) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}
