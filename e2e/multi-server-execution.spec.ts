// Three `next start` processes on one private PostgreSQL (e2e/multi-server-cluster.ts), beyond the limits: the
// console of one server shows what the others did at its next poll; status notifications and hand-offs to an
// external HTTP engine leave exactly once whichever server caused them; and a SIGTERM of the scheduler lease
// holder hands the lease to a survivor at once, with no due callback handed over twice and no acknowledged start lost.
import { test, expect, type Page } from "@playwright/test";
import type { CallbacksPage } from "../lib/console/callbacks";
import type { MonitorSnapshot } from "../lib/console/monitor";
import { signInAs, tally, until } from "./helpers";
import {
  ADMIN_PASSWORD,
  PORTS,
  SVC,
  bucketTime,
  call,
  cancel,
  leaseHolderPid,
  pidsOf,
  putService,
  start,
  startRecorder,
  useMultiServer,
  type Recorder,
} from "./multi-server-cluster";

test.describe.configure({ mode: "serial" });

// the recorder listens on a loopback port chosen at its start: the allowlist names the host, any port
const ms = useMultiServer({ EXECUTION_URL_ALLOWLIST: "127.0.0.1" });
const { servers, count, stored } = ms;

/** The Callbacks and Monitor pages poll every 5 s (LIVE_MS, REFRESH_MS). */
const POLL_MS = 5000;
/** Room for one poll's request and render on a loaded 2-core machine, on top of the interval. */
const POLL_SLACK_MS = 5000;

let rec: Recorder;
test.beforeAll(async () => {
  // the engine and the notification target answer after 200 ms, like a real one across a network: a scheduler tick
  // that hands over or notifies is in flight for that long
  rec = await startRecorder({
    delayMs: 200,
    answer: (r) => (r.url === "/ors" ? { _ors_session_id: `ors-${String(r.headers["idempotency-key"])}` } : {}),
  });
});
test.afterAll(async () => {
  await rec?.close();
});

/** The callback ids of the engine's hand-off requests (Idempotency-Key), and of its cancels (from the path). */
const submitted = () =>
  rec
    .on("/ors")
    .filter((r) => r.url === "/ors")
    .map((r) => String(r.headers["idempotency-key"]));
const cancelled = () => rec.on("/ors/").map((r) => decodeURIComponent(r.url.split("/")[2]));
/** The bodies of the status notifications received for the callbacks `ids` (`_id`, `_callback_state`, `time`, …). */
const notifications = (ids: Set<string>) =>
  rec
    .on("/notify")
    .map((r) => r.body as Record<string, string>)
    .filter((b) => ids.has(b._id));
/** A state change as "<id> <state>[/<reason>]", for comparing what was notified with what the database recorded. */
const key = (id: string, state: string, reason: string | null | undefined) => `${id} ${state}${reason ? `/${reason}` : ""}`;
/** The state changes the database recorded for `ids` (each writes one notification to the outbox, in its transaction). */
async function transitions(ids: string[]): Promise<string[]> {
  const rows = await ms.pool.query<{ callback_id: string; state: string; reason: string | null }>(
    `SELECT callback_id, state, reason FROM callback_events WHERE callback_id = ANY($1) AND details LIKE '{"from":%' ORDER BY id`,
    [ids],
  );
  return rows.rows.map((r) => key(r.callback_id, r.state, r.reason));
}
const outbox = () => count("SELECT count(*) AS n FROM notification_outbox", []);
/** Waits until nothing more arrives at the recorder for `span` ms (a duplicate would come right after the original). */
async function quiet(span: number): Promise<void> {
  let seen = rec.received.length;
  await until(
    `the recorder to stay quiet for ${span} ms`,
    async () => {
      const n = rec.received.length;
      const changed = n !== seen;
      seen = n;
      await new Promise((r) => setTimeout(r, span));
      return !changed && rec.received.length === n;
    },
    (ok) => ok,
    60_000,
  );
}
const sorted = (xs: string[]) => [...xs].sort();

test("the console on one server shows a start made through another and a cancel through a third at its next poll, without a reload", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const [a, b, c] = [0, 1, 2];
  const name = "e2e-ms-live";
  expect((await putService(a, name, { _max_request_by_time_bucket: 100000 })).status).toBe(200);

  const context = await browser.newContext({ baseURL: `http://localhost:${PORTS[b]}` });
  const page = await context.newPage();
  await signInAs(page, "admin", ADMIN_PASSWORD);
  const monitor = await context.newPage();

  // every poll of either page: when the browser sent it (its own clock, the machine's), and its answer
  const polls: Array<{ path: string; sentAt: number; body: string }> = [];
  const navigations = { callbacks: 0, monitor: 0 };
  const watch = (p: Page, which: keyof typeof navigations, path: string) => {
    p.on("requestfinished", async (r) => {
      if (new URL(r.url()).pathname !== path) return;
      const res = await r.response();
      polls.push({ path, sentAt: r.timing().startTime, body: res ? await res.text() : "" });
    });
    p.on("framenavigated", (f) => {
      if (f === p.mainFrame()) navigations[which]++;
    });
  };
  watch(page, "callbacks", "/api/console/callbacks");
  watch(monitor, "monitor", "/api/console/monitor");

  // the pointer off the table: rows under it are held back on purpose (callbacks-panel.tsx)
  await page.mouse.move(0, 0);
  // a window that holds the callback's desired time (two days ahead) whatever the time of day
  await page.goto(`/callbacks?window=next7d&service=${name}`);
  await expect(page.getByText(/No callbacks in the next 7 days/)).toBeVisible({ timeout: 30_000 });
  await monitor.goto(`/monitor?q=${name}`);
  const card = monitor.locator(`li[aria-labelledby="svc-${name}"]`);
  const scheduledCount = card
    .locator("div", { has: monitor.locator('abbr[title="SCHEDULED"]') })
    .locator("dd span")
    .first();
  await expect(scheduledCount).toHaveText("0", { timeout: 30_000 });
  for (const p of [page, monitor]) {
    expect(await p.evaluate(() => document.visibilityState)).toBe("visible"); // react-query polls visible pages only
    await p.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
  }
  const navs = { ...navigations };

  // started through A
  const started = await start(a, name, 9000, bucketTime);
  expect(started.status).toBe(200);
  const startedAt = Date.now();
  const id = started.json()._id as string;
  const row = page.locator(`tr.row[data-id="${id}"]`);
  await row.locator(".badge-SCHEDULED").waitFor({ timeout: 60_000 });
  const rowShownMs = Date.now() - startedAt;
  await expect(scheduledCount).toHaveText("1", { timeout: 60_000 });
  const countShownMs = Date.now() - startedAt;

  // cancelled through C
  expect((await cancel(c, name, id)).status).toBe(200);
  const cancelledAt = Date.now();
  await row.locator(".badge-COMPLETED").waitFor({ timeout: 60_000 });
  await expect(row).toContainText("CANCELLED");
  const cancelShownMs = Date.now() - cancelledAt;
  await expect(scheduledCount).toHaveText("0", { timeout: 60_000 });
  const countClearedMs = Date.now() - cancelledAt;
  await expect(monitor.getByRole("table", { name: "Recent events" })).toContainText("cancelled");

  // the pages were not reloaded: the same documents, no navigation since
  for (const p of [page, monitor])
    expect(await p.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
  expect(navigations).toEqual(navs);

  // every poll sent after a write answers with it: B reads what A and C committed, nothing in between holds it back
  // (a poll sent just before a write may show it too: the write commits before its answer)
  await until(
    "a poll of each page sent after the cancel",
    () => ["/api/console/callbacks", "/api/console/monitor"].every((path) => polls.some((p) => p.path === path && p.sentAt >= cancelledAt)),
    (ok) => ok,
    30_000,
  );
  const answers = (path: string, from: number, to: number) =>
    polls.filter((p) => p.path === path && p.sentAt >= from && p.sentAt < to).map((p) => JSON.parse(p.body) as unknown);
  const rowIn = (x: unknown) => (x as CallbacksPage).rows.find((r) => r.id === id);
  const scheduledIn = (x: unknown) => (x as MonitorSnapshot).services.find((s) => s.name === name)?.counts.SCHEDULED;
  for (const x of answers("/api/console/callbacks", startedAt, cancelledAt)) expect(rowIn(x)?.state).toBe("SCHEDULED");
  for (const x of answers("/api/console/monitor", startedAt, cancelledAt)) expect(scheduledIn(x)).toBe(1);
  for (const x of answers("/api/console/callbacks", cancelledAt, Infinity))
    expect(rowIn(x)).toMatchObject({ state: "COMPLETED", reason: "CANCELLED" });
  for (const x of answers("/api/console/monitor", cancelledAt, Infinity)) expect(scheduledIn(x)).toBe(0);

  // so each change shows within one interval plus that poll's own request and render
  for (const shown of [rowShownMs, countShownMs, cancelShownMs, countClearedMs]) expect(shown).toBeLessThan(POLL_MS + POLL_SLACK_MS);
  console.log(
    `[multi-server] console on ${PORTS[b]}: start through ${PORTS[a]} shown after ${rowShownMs} ms (Callbacks), ${countShownMs} ms (Monitor); ` +
      `cancel through ${PORTS[c]} shown after ${cancelShownMs} ms (Callbacks), ${countClearedMs} ms (Monitor); poll every ${POLL_MS} ms`,
  );
  await context.close();
});

test("status notifications of callbacks started, completed and cancelled through three servers are each delivered once", async () => {
  test.setTimeout(240_000);
  const name = "e2e-ms-notify";
  const options = {
    _enable_status_notification: true,
    _status_notification_target: `${rec.url}/notify`,
    _max_request_by_time_bucket: 100000,
    // the simulator completes the immediate ones in well under a second each
    _sim_agents: 10,
    _sim_speed: 10,
    _sim_dial_seconds: 1,
    _sim_talk_seconds: 1,
    _sim_answer_rate: 1,
    _sim_busy_rate: 0,
    _sim_answering_machine_rate: 0,
  };
  expect((await putService(0, name, options)).status).toBe(200);

  // 30 immediate starts (the simulator completes them) and 30 scheduled ones, each cancelled through another server
  const immediate = await Promise.all(Array.from({ length: 30 }, (_, i) => start(i, name, 20_000 + i)));
  const scheduled = await Promise.all(Array.from({ length: 30 }, (_, i) => start(i, name, 21_000 + i, bucketTime)));
  expect(tally([...immediate, ...scheduled])).toEqual({ "200": 60 });
  const scheduledIds = scheduled.map((r) => r.json()._id as string);
  const cancels = await Promise.all(scheduledIds.map((id, i) => cancel(i + 1, name, id)));
  expect(cancels.map((r) => r.status)).toEqual(scheduledIds.map(() => 200));
  const ids = [...immediate.map((r) => r.json()._id as string), ...scheduledIds];

  await until(
    "every callback to complete",
    () => stored(name, "COMPLETED"),
    (n) => n === 60,
    120_000,
  );
  await until("the outbox to empty", outbox, (n) => n === 0, 120_000);
  await quiet(2000);

  const got = notifications(new Set(ids));
  const expected = await transitions(ids);
  // one notification per state change, none twice: the payloads carry the time of their change
  expect(new Set(got.map((b) => `${b._id} ${b._callback_state} ${b.time}`)).size).toBe(got.length);
  expect(sorted(got.map((b) => key(b._id, b._callback_state, b._callback_reason)))).toEqual(sorted(expected));
  for (const id of scheduledIds) expect(expected).toContain(key(id, "COMPLETED", "CANCELLED"));
  expect(expected.filter((k) => k.includes(" COMPLETED")).length).toBe(60);
  console.log(`[multi-server] ${got.length} status notifications for 60 callbacks, each once (${expected.length} state changes)`);
});

test("an external HTTP engine gets each immediate start through any server once, and a cancel through another server once", async () => {
  test.setTimeout(240_000);
  const name = "e2e-ms-ors";
  const options = {
    _type: "ors",
    _ors: `${rec.url}/ors`,
    _enable_status_notification: true,
    _status_notification_target: `${rec.url}/notify`,
    _max_request_by_time_bucket: 100000,
  };
  expect((await putService(1, name, options)).status).toBe(200);

  const rs = await Promise.all(Array.from({ length: 45 }, (_, i) => start(i, name, 30_000 + i)));
  expect(tally(rs)).toEqual({ "200": 45 });
  const ids = rs.map((r) => r.json()._id as string);
  // handed over by the request path before it answers, or by the lease holder's scheduler when it claimed the
  // callback first (then the request path leaves it to the scheduler and answers at once)
  await until(
    "every start to be handed over",
    () => count("SELECT count(*) AS n FROM callbacks WHERE service_name = $1 AND handed_off = 1", [name]),
    (k) => k === 45,
  );

  // 15 cancelled through the server after the one that started them; the other 30 reported on by the engine,
  // each step through another server
  const toCancel = ids.slice(0, 15);
  const cancels = await Promise.all(toCancel.map((id, i) => cancel(i + 1, name, id)));
  expect(cancels.map((r) => r.status)).toEqual(toCancel.map(() => 200));
  const progressed = ids.slice(15);
  for (const [k, step] of [
    { _callback_state: "ROUTING" },
    { _callback_state: "PROCESSING" },
    { _callback_state: "COMPLETED", _callback_reason: "AGENT_CONNECTED" },
  ].entries()) {
    const puts = await Promise.all(progressed.map((id, i) => call(PORTS[(i + k) % 3], "PUT", `${SVC}/${name}/${id}`, { body: step })));
    expect(puts.map((r) => r.status)).toEqual(progressed.map(() => 200));
  }
  await until("the outbox to empty", outbox, (n) => n === 0, 120_000);
  // the lease holder's scheduler has looked at the QUEUED callbacks meanwhile: nothing handed over again
  await quiet(2000);

  const handed = submitted().filter((k) => ids.includes(k));
  expect(handed.length).toBe(45);
  expect(new Set(handed).size).toBe(45);
  expect(sorted(cancelled().filter((k) => ids.includes(k)))).toEqual(sorted(toCancel));
  const ledger = await count("SELECT count(*) AS n FROM handoffs WHERE callback_id = ANY($1) AND status = 'ok'", [ids]);
  expect(ledger).toBe(45);
  const got = notifications(new Set(ids));
  expect(sorted(got.map((b) => key(b._id, b._callback_state, b._callback_reason)))).toEqual(sorted(await transitions(ids)));
  expect(got.length).toBe(15 + 30 * 3);
  expect(await stored(name, "COMPLETED")).toBe(45);
});

test("SIGTERM of the lease holder: it hands the lease back, a survivor takes over at once, each due callback is handed over once", async () => {
  test.setTimeout(300_000);
  const due = "e2e-ms-handback";
  const flow = "e2e-ms-flow2";
  const raised = {
    _max_request_by_time_bucket: 100000,
    _throttle_callbacks_per_service_1: 100000,
    _throttle_callbacks_per_service_2: 100000,
  };
  const dueOptions = {
    ...raised,
    _type: "ors",
    _ors: `${rec.url}/ors`,
    _enable_status_notification: true,
    _status_notification_target: `${rec.url}/notify`,
    _request_execution_time_buffer: 1,
  };
  expect((await putService(0, due, dueOptions)).status).toBe(200);
  expect((await putService(1, flow, raised)).status).toBe(200);

  // 90 callbacks due one after another, 6 a second for 15 s, starting about 30 s from now, created through all
  // three servers: the holder's scheduler is busy handing over and notifying most of that time
  const base = Math.ceil((Date.now() + 30_000) / 1000) * 1000;
  const desired = (i: number) => new Date(base + Math.floor((i * 1000) / 6)).toISOString();
  const dueStarts = await Promise.all(Array.from({ length: 90 }, (_, i) => start(i, due, 40_000 + i, desired(i))));
  expect(tally(dueStarts)).toEqual({ "200": 90 });
  const dueIds = dueStarts.map((r) => r.json()._id as string);
  const handedOk = () => count("SELECT count(*) AS n FROM handoffs WHERE callback_id = ANY($1) AND status = 'ok'", [dueIds]);

  const holder = await until(
    "a scheduler lease holder",
    () => leaseHolderPid(PORTS[0]),
    (pid) => pid !== null,
  );
  const victim = servers.find((s) => pidsOf(s).includes(holder!))!;
  expect(victim, `lease holder pid ${holder} is one of the servers`).toBeDefined();
  const survivors = servers.filter((s) => s !== victim);
  const survivorPids = survivors.flatMap(pidsOf);
  const survivorPorts = survivors.map((s) => s.port);
  let victimExit: number | null = null;
  victim.proc.on("exit", (code) => (victimExit = code));

  // starts keep flowing to all three servers (some are in flight to the holder when it is told to stop), then to
  // the survivors; one the stopping holder no longer accepts is refused, never acknowledged
  const acknowledged: string[] = [];
  const outcomes: Record<string, number> = {};
  let flowing = true;
  let termAt = 0;
  let n = 0;
  const client = async (c: number) => {
    for (let i = c; flowing; i++) {
      try {
        const r = await start(i, flow, 50_000 + n++, bucketTime, termAt ? survivorPorts : PORTS);
        outcomes[r.status] = (outcomes[r.status] ?? 0) + 1;
        if (r.status === 200) acknowledged.push(r.json()._id as string);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code ?? "error";
        outcomes[code] = (outcomes[code] ?? 0) + 1;
      }
    }
  };
  const clients = Array.from({ length: 6 }, (_, c) => client(c));
  let takeoverMs = 0;
  let exitMs = 0;
  let handedAtTerm = 0;
  try {
    // the holder hands some over itself, then is stopped in the middle of the run
    handedAtTerm = await until("the first due callbacks to be handed over", handedOk, (k) => k >= 20, 120_000);
    termAt = Date.now();
    victim.proc.kill("SIGTERM");
    const newHolder = await until(
      "a survivor to take the scheduler lease over",
      () => leaseHolderPid(survivors[0].port),
      (pid) => pid !== null && survivorPids.includes(pid),
      60_000,
    );
    takeoverMs = Date.now() - termAt;
    expect(survivorPids).toContain(newHolder);
    await victim.exited;
    exitMs = Date.now() - termAt;
    const ackedAtTakeover = acknowledged.length;
    await until(
      "more starts after the takeover",
      () => acknowledged.length,
      (k) => k >= ackedAtTakeover + 10,
    );
  } finally {
    flowing = false;
  }
  await Promise.all(clients);
  expect(victimExit).toBe(143);

  await until(
    "every due callback to be handed over",
    () => stored(due, "SCHEDULED"),
    (left) => left === 0,
    120_000,
  );
  await until("the outbox to empty", outbox, (k) => k === 0, 120_000);
  await quiet(2000);

  // nothing acknowledged is lost
  const storedIds = new Set(
    (await ms.pool.query<{ id: string }>("SELECT id FROM callbacks WHERE service_name IN ($1, $2)", [due, flow])).rows.map((r) => r.id),
  );
  expect([...dueIds, ...acknowledged].filter((id) => !storedIds.has(id))).toEqual([]);
  // each due callback reached the engine once, and the ledger has one hand-off for it
  const handed = submitted().filter((k) => dueIds.includes(k));
  expect(sorted(handed)).toEqual(sorted(dueIds));
  expect(await handedOk()).toBe(90);
  expect(await count("SELECT count(*) AS n FROM handoffs WHERE callback_id = ANY($1)", [dueIds])).toBe(90);
  expect(await stored(due, "QUEUED")).toBe(90);
  // some by the stopped holder before, the rest after the SIGTERM (its last tick, then the survivor)
  const after = await count("SELECT count(*) AS n FROM handoffs WHERE callback_id = ANY($1) AND created_at > $2", [dueIds, termAt]);
  expect(after).toBeGreaterThan(0);
  expect(after).toBeLessThan(90);
  // and each SCHEDULED → QUEUED was notified once
  const got = notifications(new Set(dueIds));
  expect(sorted(got.map((b) => key(b._id, b._callback_state, b._callback_reason)))).toEqual(sorted(await transitions(dueIds)));
  expect(got.length).toBe(90);

  // the lease was released, not left to lapse (10 s): a survivor's loop (every 250 ms) takes it
  expect(takeoverMs).toBeLessThan(5000);
  console.log(
    `[multi-server] SIGTERM of the lease holder: survivor took over after ${takeoverMs} ms, holder exited after ${exitMs} ms; ` +
      `${handedAtTerm} of 90 handed over before, ${after} after; flow ${JSON.stringify(outcomes)}, ${acknowledged.length} acknowledged`,
  );
});
