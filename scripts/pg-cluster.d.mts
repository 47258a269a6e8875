// Types of scripts/pg-cluster.mjs for the TypeScript tests that start a private PostgreSQL.
export interface PgCluster {
  /** postgres://postgres@127.0.0.1:<port>/<database>, trust authentication */
  url: string;
  port: number;
  dir: string;
  socketDir: string;
  database: string;
  /** milliseconds from initdb to a ready server with the database created */
  startMs: number;
  /** stops the server and deletes its directory */
  stop(): Promise<void>;
}
export function findPgBin(env?: { PG_BIN?: string; PATH?: string }, debianRoot?: string): string;
export function startPgCluster(opts?: { database?: string; maxConnections?: number }): Promise<PgCluster>;
