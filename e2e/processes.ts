// The server processes that the multi-server specs and bench/multi-server.mts start: whether one is alive, its
// pids, the CPU time they used, and waiting on a condition. No Playwright in here, so the bench can use it too.
import { execFileSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";

interface Started {
  proc: ChildProcess;
}

export const alive = (s: Started) => s.proc.exitCode === null && s.proc.signalCode === null;

/** The pids of a server: `next start` itself and any process it started. */
export function pidsOf(s: Started): number[] {
  let children: number[] = [];
  try {
    children = execFileSync("ps", ["-o", "pid=", "--ppid", String(s.proc.pid)], { encoding: "utf8" })
      .split("\n")
      .map((l) => Number(l.trim()))
      .filter(Boolean);
  } catch {
    // ps exits 1 when the process has no children
  }
  return [s.proc.pid!, ...children];
}

/** CPU time (ms) the live servers have used so far (Linux /proc, 100 ticks a second). */
export function cpuMs(servers: Started[]): number {
  let ticks = 0;
  for (const pid of servers.filter(alive).flatMap(pidsOf)) {
    try {
      const f = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
      ticks += Number(f[11]) + Number(f[12]);
    } catch {
      // the process ended between ps and the read
    }
  }
  return ticks * 10;
}

/** Polls `fn` until `ok` holds of its value (a throw counts as not yet), or fails naming `what` after `ms`. */
export async function until<T>(what: string, fn: () => Promise<T> | T, ok: (v: T) => boolean, ms = 120_000, everyMs = 100): Promise<T> {
  for (const end = Date.now() + ms; ;) {
    const v = await Promise.resolve()
      .then(fn)
      .catch(() => undefined);
    if (v !== undefined && ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
