// PostgreSQL going away under a server (a restart, a failover, an administrator ending connections): the server
// stays up, answers what failed with 500 50020 "Storage error, please retry", and works again on new connections.
import { afterEach, describe, expect, it, vi } from "vitest";
import pg from "pg";
import { usePgCluster } from "./pg-cluster";
import { PgStore } from "../db/pg/store";
import { storageFault } from "../db/errors";
import { toErrorResponse } from "../lib/http/respond";

const pgc = usePgCluster();
let open: PgStore[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(open.map((s) => s.close()));
  open = [];
});

/** Ends every other connection to the database, as a failover or `pg_terminate_backend` does. */
async function endConnections(url: string): Promise<number> {
  const admin = new pg.Client(url);
  await admin.connect();
  try {
    const r = await admin.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
    );
    return r.rowCount ?? 0;
  } finally {
    await admin.end();
  }
}

describe("PostgreSQL connections lost under a server", () => {
  it("idle connections ended: the process stays up, says so once per connection, and the next query works", async () => {
    const { url } = await pgc.freshDatabase();
    const store = new PgStore({ url, max: 4 });
    open.push(store);
    await Promise.all([1, 2, 3].map(() => store.query("SELECT pg_sleep(0.05)"))); // three idle connections
    const said = vi.spyOn(console, "error").mockImplementation(() => {});
    expect(await endConnections(url)).toBe(3);
    await vi.waitFor(() => expect(said).toHaveBeenCalledTimes(3), { timeout: 10_000 });
    expect(String(said.mock.calls[0]![0])).toMatch(/an idle connection failed .* replaced when needed/);
    expect(await store.query("SELECT 1 AS one")).toEqual([{ one: 1 }]);
  });

  it("a transaction whose connection is ended: rolled back, answered 500 50020, and the next one commits", async () => {
    const { url } = await pgc.freshDatabase();
    const store = new PgStore({ url, max: 4 });
    open.push(store);
    await store.ready();
    vi.spyOn(console, "error").mockImplementation(() => {});
    const err = await store
      .tx(async () => {
        await store.putSettings("callback", { a: 1 }, 1);
        await endConnections(url);
        await store.putSettings("callback", { a: 2 }, 2);
      })
      .catch((e: unknown) => e);
    expect(storageFault(err)).toBe("unavailable");
    const answer = toErrorResponse(err);
    expect(answer.status).toBe(500);
    expect(await answer.json()).toMatchObject({ code: 50020, message: "Storage error, please retry" });
    expect(await store.getSettings("callback")).toBeUndefined(); // nothing of the lost transaction was kept
    await store.putSettings("callback", { a: 3 }, 3);
    expect(await store.getSettings("callback")).toEqual({ a: 3 });
  });
});
