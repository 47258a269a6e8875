import { describe, it, expect, afterEach } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { tempDb } from "./helpers";
import { Store } from "../db/store";
import { putService } from "../lib/callback/config-admin";
import { startCallback } from "../lib/callback/start";
import type { EngineCtx } from "../lib/callback/context";
import { executionPort } from "../lib/execution/port";

const FIXTURE = path.join(__dirname, "fixtures", "scheduler-process.mts");
const LEASE_MS = 1000;
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill("SIGKILL");
});

/**
 * Starts a scheduler process on the database. `first` resolves with what its first tick found ("active" or
 * "standby"); `active` once it holds the lease, at `activeAt` (ms since epoch).
 */
function schedulerProcess(
  dbPath: string,
  holder: string,
): { child: ChildProcess; first: Promise<string>; active: Promise<void>; activeAt: () => number | undefined } {
  const child = spawn(process.execPath, ["--import", "tsx", FIXTURE], {
    cwd: path.join(__dirname, ".."),
    env: { ...process.env, DATABASE_PATH: dbPath, HOLDER: holder, LEASE_MS: String(LEASE_MS) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  let activeAt: number | undefined;
  let out = "";
  const first = new Promise<string>((resolve) =>
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const word = /\b(active|standby)\b/.exec(out);
      if (word) resolve(word[1]);
    }),
  );
  const active = new Promise<void>((resolve) =>
    child.stdout!.on("data", (d: Buffer) => {
      if (d.toString().includes("active") && activeAt === undefined) {
        activeAt = Date.now();
        resolve();
      }
    }),
  );
  return { child, first, active, activeAt: () => activeAt };
}

async function until(cond: () => boolean, ms: number): Promise<void> {
  for (const end = Date.now() + ms; !cond();) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("two server processes on one database", () => {
  it("run one scheduler between them: when the active process is killed the other takes over, and no callback is handed over twice", async () => {
    const handle = tempDb();
    const store = new Store(handle);
    const ctx: EngineCtx = { store, now: () => Date.now(), actor: "test", execution: executionPort };
    await putService(ctx, "svc", {
      _service: "callback",
      _enable_in_queue_checking: "false",
      _request_execution_time_buffer: 1,
      _ttl: 3600,
      _max_request_by_time_bucket: 1000,
    });
    const N = 300;
    const handedOff = () => (store.sqlite.prepare("SELECT count(*) AS n FROM handoffs WHERE status = 'ok'").get() as { n: number }).n;

    const a = schedulerProcess(handle.path, "a");
    await a.active;
    const b = schedulerProcess(handle.path, "b");
    // while a holds the lease, b runs its loop on standby: one scheduler between the two processes
    expect(await b.first).toBe("standby");
    // due from 4 s after a is running (however long a loaded machine took to start it), one every 10 ms
    const t0 = Date.now();
    for (let i = 0; i < N; i++)
      await startCallback(ctx, "svc", {
        _customer_number: `+1617555${String(i).padStart(4, "0")}`,
        _desired_time: new Date(t0 + 4000 + i * 10).toISOString(),
      });
    // a hands over the first callbacks as they come due; b waits on standby
    await until(() => handedOff() > 0, 15_000);
    expect(b.activeAt()).toBeUndefined();
    a.child.kill("SIGKILL");
    const killedAt = Date.now();
    const beforeKill = handedOff();
    expect(beforeKill).toBeLessThan(N);
    await b.active;
    expect(b.activeAt()!).toBeGreaterThanOrEqual(killedAt);
    await until(() => handedOff() === N, 20_000);

    const perCallback = store.sqlite
      .prepare(
        "SELECT c.id, (SELECT count(*) FROM handoffs h WHERE h.callback_id = c.id AND h.status = 'ok') AS ok, " +
          "(SELECT count(*) FROM callback_events e WHERE e.callback_id = c.id AND e.type = 'handoff') AS events FROM callbacks c",
      )
      .all() as Array<{ id: string; ok: number; events: number }>;
    expect(perCallback).toHaveLength(N);
    expect(perCallback.filter((r) => r.ok !== 1 || r.events !== 1)).toEqual([]);
    const lease = store.sqlite.prepare("SELECT holder FROM leases WHERE name = 'scheduler'").get() as { holder: string };
    expect(lease.holder).toBe("b");
  }, 60_000);
});
