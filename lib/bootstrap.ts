// Server start-up (called once from instrumentation.ts): migrate, first admin, demo data, background loops.
import { getStore } from "../db/store";
import { ensureAdmin } from "./auth/users";
import { seedDemo, startDemoTraffic } from "./demo";
import { defaultCtx } from "./callback/context";
import { startScheduler } from "./execution/scheduler";
import { log } from "./ops/logger";

const g = globalThis as unknown as { __callbackBooted?: boolean };

export function bootstrap(): void {
  if (g.__callbackBooted) return;
  g.__callbackBooted = true;
  const store = getStore(); // opens the DB and applies migrations
  console.log(`[callback] database: ${store.handle.path}`);
  console.log(`[callback] ${ensureAdmin(store, Date.now())}`);
  if (process.env.SEED_DEMO !== "false") {
    try {
      const created = seedDemo(defaultCtx("system"));
      if (created.length) console.log(`[callback] demo services created: ${created.join(", ")}`);
      if (process.env.DEMO_TRAFFIC !== "false") startDemoTraffic(defaultCtx("demo"));
    } catch (e) {
      log().error({ err: e }, "demo data could not be created");
    }
  }
  if (process.env.SCHEDULER !== "false") {
    const scheduler = startScheduler(defaultCtx("scheduler"));
    // hand the lease over at once on shutdown, so a standby process takes over without waiting for it to lapse
    for (const sig of ["SIGTERM", "SIGINT"] as const) process.once(sig, () => scheduler.stop(true));
  }
}
