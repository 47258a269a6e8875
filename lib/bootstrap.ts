// Server start-up (called once from instrumentation.ts): migrate, first admin, demo data, background loops.
import { getStore } from "../db/store";
import { ensureAdmin } from "./auth/users";
import { seedDemo, startDemoTraffic } from "./demo";
import { defaultCtx } from "./runtime";
import { startScheduler } from "./execution/scheduler";
import { log } from "./ops/logger";
import { deferExitUntil, hardExit } from "./ops/shutdown";
import { metrics } from "./ops/metrics";

const g = globalThis as unknown as { __callbackBooted?: boolean };

export async function bootstrap(): Promise<void> {
  if (g.__callbackBooted) return;
  g.__callbackBooted = true;
  const store = getStore();
  await store.ready(); // opens the database and applies migrations (PostgreSQL: connects and migrates)
  metrics(); // counting from the start; one of several workers also joins the primary's /metrics sums now
  console.log(`[callback] database: ${store.describe()}`);
  console.log(`[callback] ${await ensureAdmin(store, Date.now())}`);
  const scheduler = process.env.SCHEDULER !== "false" ? startScheduler(defaultCtx("scheduler")) : null;
  // hand the lease over at once on shutdown, so a standby process takes over without waiting for it to lapse: once
  // the tick in flight has finished, and before the process exits (Next.js exits as soon as its server has closed)
  if (scheduler) for (const sig of ["SIGTERM", "SIGINT"] as const) process.once(sig, () => deferExitUntil(scheduler.stop(true)));
  if (process.env.SEED_DEMO !== "false") {
    try {
      const created = await seedDemo(defaultCtx("system"));
      if (created.length) console.log(`[callback] demo services created: ${created.join(", ")}`);
      // the demo customers follow the scheduler lease: one trickle per database however many processes serve it
      // (WORKERS), and it moves to whichever process takes the lease over
      if (process.env.DEMO_TRAFFIC !== "false" && scheduler) startDemoTraffic(defaultCtx("demo"), () => scheduler.holdsLease());
    } catch (e) {
      log().error({ err: e }, "demo data could not be created");
    }
  }
  // Next.js stops accepting on SIGTERM and exits once in-flight requests are done; this bounds the wait, so a
  // stuck client cannot keep a stopping server alive (every acknowledged write is already committed)
  const graceMs = Number(process.env.SHUTDOWN_GRACE_MS || 10_000);
  for (const sig of ["SIGTERM", "SIGINT"] as const)
    process.once(sig, () => {
      log().info({ signal: sig, graceMs }, "shutting down");
      setTimeout(() => hardExit(sig === "SIGTERM" ? 143 : 130), graceMs).unref();
    });
}
