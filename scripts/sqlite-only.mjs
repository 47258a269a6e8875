// The SQLite file tools (backup, restore) refuse to run for a PostgreSQL deployment instead of quietly working
// on a SQLite file the servers do not use.
/** Exits 2 with what to use instead when DATABASE_URL names a PostgreSQL database. */
export function refuseOnPostgres(command) {
  if (!/^postgres(ql)?:\/\//i.test(process.env.DATABASE_URL ?? "")) return;
  console.error(
    `DATABASE_URL points at PostgreSQL: \`npm run ${command}\` works on the SQLite file only. ` +
      "Use PostgreSQL's own tools (pg_dump / pg_restore, or base backups with WAL archiving, or your managed " +
      "service's backups); see docs/deployment.md.",
  );
  process.exit(2);
}
