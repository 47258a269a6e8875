// Test helpers: a real database (never mocks) and the /genesys router served over real HTTP. The database is a fresh
// SQLite file in a temp dir, or with TEST_STORE=postgres (vitest.pg.config.mts) a fresh database in the test
// file's private PostgreSQL cluster (test/pg-setup.ts), reached through the same CallbackStore API.
import fs from "node:fs";
import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { openDatabase, setDb, type DbHandle } from "../db/client";
import pg from "pg";
import { Store, sqliteStore, setStore } from "../db/store";
import type { CallbackStore } from "../db/callback-store";
import { PgStore } from "../db/pg/store";
import { router } from "../lib/http/routes";
import { hashPassword } from "../lib/auth/passwords";
import { setClock } from "../lib/clock";
import type { EngineCtx } from "../lib/callback/context";
import { executionPort } from "../lib/execution/port";
import { beforeEach, afterEach } from "vitest";
import { resetSimulator } from "../lib/execution/simulator";
import { setEngineOverride } from "../lib/execution/engine";

export function tempDb(): DbHandle {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cbtest-"));
  return openDatabase(path.join(dir, "test.db"));
}

/** Whether this run's tests use PostgreSQL (vitest.pg.config.mts). */
export const onPostgres = process.env.TEST_STORE === "postgres";

const pgState = globalThis as unknown as { __testPgUrl?: string; __testPgStores?: PgStore[]; __testPgN?: number };

/** The run's cluster URL (test/pg-global.ts starts it; test/pg-setup.ts hands it to the file). */
function clusterUrl(): string {
  if (!pgState.__testPgUrl) throw new Error("no PostgreSQL cluster for this test file (run it with vitest.pg.config.mts)");
  return pgState.__testPgUrl;
}

/**
 * A PgStore on a new, empty database of the file's cluster, created (and migrated) by the store's first `ready()`,
 * so this stays synchronous as freshEngine is. `name` shares one database between stores (two "servers").
 */
export function freshPgStore(name?: string, opts: { max?: number } = {}): { store: PgStore; database: string } {
  // unique in the run's one cluster: files run side by side in processes of their own
  const database = name ?? `t${(pgState.__testPgN = (pgState.__testPgN ?? 0) + 1)}_${process.pid}_${randomBytes(4).toString("hex")}`;
  const base = clusterUrl();
  const url = base.replace(/\/[^/]+$/, `/${database}`);
  const store = new PgStore({
    url,
    max: opts.max ?? 10,
    // earlier tests' stores stay open (work they started may still run) but give their connections back soon
    idleMs: 200,
    prepare: async () => {
      if (name) return;
      const admin = new pg.Client(base);
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${database}`);
      } finally {
        await admin.end();
      }
    },
  });
  (pgState.__testPgStores ??= []).push(store);
  return { store, database };
}

/** Closes every PgStore this file made (test/pg-setup.ts, afterAll). */
export async function closePgStores(): Promise<void> {
  const stores = pgState.__testPgStores ?? [];
  pgState.__testPgStores = [];
  await Promise.all(stores.map((s) => s.close()));
}

/** A fresh database installed as the process-wide one, plus an engine context with a pinned, movable clock. */
export function freshEngine(start = Date.parse("2026-06-01T12:00:00.000Z")) {
  let store: CallbackStore;
  let lite: Store | null = null;
  let database = "";
  if (onPostgres) {
    ({ store, database } = freshPgStore());
    setStore(store);
  } else {
    setStore(undefined);
    setDb(tempDb());
    lite = sqliteStore();
    store = lite;
  }
  const clock = { t: start };
  setClock(() => clock.t);
  const ctx: EngineCtx = { store, now: () => clock.t, actor: "test", execution: executionPort };
  const env = {
    store,
    /** Runs one write statement over a connection of its own to this test's database, as another server would. */
    async writeAsAnotherServer(sql: string): Promise<void> {
      if (!lite) {
        const other = freshPgStore(database).store;
        await other.query(sql);
        await other.close();
        return;
      }
      const other = openDatabase(lite.handle.path);
      other.sqlite.prepare(sql).run();
      other.sqlite.close();
    },
    clock,
    ctx,
    setNow: (iso: string | number) => (clock.t = typeof iso === "number" ? iso : Date.parse(iso)),
  };
  const sqliteOnly = (): Store => {
    if (!lite) throw new Error("a SQLite-only test ran on PostgreSQL: guard it with it.skipIf(onPostgres)");
    return lite;
  };
  // not enumerable, so `{ ...env }` copies the rest without touching them on PostgreSQL
  return Object.defineProperties(env, {
    lite: { get: sqliteOnly, enumerable: false },
    handle: { get: () => sqliteOnly().handle, enumerable: false },
  }) as typeof env & {
    /** The SQLite store itself, for tests of SQLite internals (WAL, pragmas, files); those run on SQLite only. */
    readonly lite: Store;
    /** The SQLite database (SQLite-only tests, as `lite`). */
    readonly handle: DbHandle;
  };
}

export const USERS = { admin: "admin-pass-1", supervisor: "super-pass-1", monitor: "monitor-pass-1" } as const;

export async function addUsers(store: CallbackStore): Promise<void> {
  for (const [u, pw] of Object.entries(USERS)) await store.putUser(u, hashPassword(pw), u, Date.now());
}

export const basic = (u: keyof typeof USERS) => "Basic " + Buffer.from(`${u}:${USERS[u]}`).toString("base64");

/** Serves the /genesys router on a random loopback port, adapting node:http to Web Request/Response. */
export async function serve(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = chunks.length ? Buffer.concat(chunks) : undefined;
    const request = new Request(`http://${req.headers.host}${req.url}`, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      body: body && req.method !== "GET" && req.method !== "HEAD" ? body : undefined,
    });
    const response = await router().handle(request);
    res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  server.keepAliveTimeout = 1;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export async function call(base: string, method: string, p: string, body?: unknown, headers: Record<string, string> = {}) {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    if (typeof body === "string") init.body = body;
    else {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)["content-type"] ??= "application/json";
    }
  }
  const res = await fetch(base + p, init);
  const text = await res.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

export type Env = Awaited<ReturnType<typeof freshEngine>>;
export type Server = Awaited<ReturnType<typeof serve>>;

/**
 * Per test: a fresh engine (real SQLite, pinned clock at `start`), the simulator reset, optional users, and the
 * /genesys router served over HTTP; the server closes and any engine override is dropped afterwards.
 */
export function useHttpEnv(set: (env: Env, srv: Server) => void, opts: { start?: number; users?: boolean } = {}): void {
  let srv: Server | undefined;
  beforeEach(async () => {
    const env = freshEngine(opts.start);
    resetSimulator();
    if (opts.users) await addUsers(env.store);
    srv = await serve();
    set(env, srv);
  });
  afterEach(async () => {
    setEngineOverride(null);
    await srv?.close();
  });
}

/**
 * Commits written to the WAL so far: frames whose header carries a database size (only a commit frame does) and
 * the WAL's current salts. Automatic checkpoints are turned off by the caller, so the WAL only grows.
 */
export function walCommits(store: Store): number {
  const wal = fs.readFileSync(`${store.handle.path}-wal`);
  if (wal.length < 32) return 0;
  const pageSize = wal.readUInt32BE(8);
  const [salt1, salt2] = [wal.readUInt32BE(16), wal.readUInt32BE(20)];
  let commits = 0;
  for (let off = 32; off + 24 + pageSize <= wal.length; off += 24 + pageSize)
    if (wal.readUInt32BE(off + 4) !== 0 && wal.readUInt32BE(off + 8) === salt1 && wal.readUInt32BE(off + 12) === salt2) commits++;
  return commits;
}
