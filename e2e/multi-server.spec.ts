// Three `next start` processes on three ports against one private PostgreSQL (DATABASE_URL): the limits hold across
// servers, and when the server holding the scheduler lease is killed (-9) a survivor takes the lease over and every
// due callback is handed over exactly once, while no acknowledged start is lost.
import { test, expect } from "@playwright/test";
import { tally, until } from "./helpers";
import { PORTS, admin, bucketTime, leaseHolderPid, pidsOf, putService, start, useMultiServer } from "./multi-server-cluster";

test.describe.configure({ mode: "serial" });

const ms = useMultiServer();
const { servers, count, stored } = ms;

test("three servers migrated one database and share the admin user", async () => {
  const rs = await Promise.all(PORTS.map((p) => admin(p, "GET", "/genesys/1/admin/services")));
  expect(rs.map((r) => r.status)).toEqual([200, 200, 200]);
  expect(await count("SELECT count(*) AS n FROM users WHERE username = 'admin'", [])).toBe(1);
});

test("200 parallel starts round-robin over three servers into a bucket of capacity 10: exactly 10 accepted and stored", async () => {
  test.setTimeout(180_000);
  expect((await putService(0, "e2e-ms-cap", { _max_request_by_time_bucket: 10 })).status).toBe(200);
  const rs = await Promise.all(Array.from({ length: 200 }, (_, i) => start(i, "e2e-ms-cap", i, bucketTime)));
  expect(tally(rs)).toEqual({ "200": 10, "400/40051": 190 });
  expect(await stored("e2e-ms-cap")).toBe(10);
});

test("the queued limit across three servers: exactly 10 immediate starts queued, the rest refused with 40002", async () => {
  test.setTimeout(180_000);
  expect((await putService(1, "e2e-ms-queued", { _max_queued_callbacks_per_service: 10, _sim_agents: 0 })).status).toBe(200);
  const rs = await Promise.all(Array.from({ length: 60 }, (_, i) => start(i, "e2e-ms-queued", 1000 + i)));
  expect(tally(rs)).toEqual({ "200": 10, "429/40002": 50 });
  expect(await stored("e2e-ms-queued")).toBe(10);
  expect(await stored("e2e-ms-queued", "QUEUED")).toBe(10);
});

test("a throttle of 25 per 10 minutes across three servers: exactly 25 accepted, the rest refused with 40003", async () => {
  test.setTimeout(180_000);
  const options = { _throttle_callbacks_per_service_1: 25, _throttle_ttl_1: 600, _max_request_by_time_bucket: 100000 };
  expect((await putService(2, "e2e-ms-thr", options)).status).toBe(200);
  const rs = await Promise.all(Array.from({ length: 80 }, (_, i) => start(i, "e2e-ms-thr", 2000 + i, bucketTime)));
  expect(tally(rs)).toEqual({ "200": 25, "429/40003": 55 });
  expect(await stored("e2e-ms-thr")).toBe(25);
});

test("the scheduler's server killed (-9): a survivor takes the lease over, each due callback is handed over once", async () => {
  test.setTimeout(300_000);
  const due = { _request_execution_time_buffer: 1, _sim_agents: 0, _max_request_by_time_bucket: 100000 };
  // the flow would otherwise reach the default throttles (500 per 5 minutes)
  const flow = {
    _max_request_by_time_bucket: 100000,
    _throttle_callbacks_per_service_1: 100000,
    _throttle_callbacks_per_service_2: 100000,
  };
  expect((await putService(0, "e2e-ms-due", due)).status).toBe(200);
  expect((await putService(1, "e2e-ms-flow", flow)).status).toBe(200);

  // 50 callbacks due in about 30 s, created round-robin on all three servers
  const desired = new Date(Math.ceil((Date.now() + 30_000) / 1000) * 1000).toISOString();
  const dueStarts = await Promise.all(Array.from({ length: 50 }, (_, i) => start(i, "e2e-ms-due", 3000 + i, desired)));
  expect(tally(dueStarts)).toEqual({ "200": 50 });
  const dueIds = dueStarts.map((r) => r.json()._id as string);

  // the lease holder: one of the three servers (or a process it started)
  const holder = await until(
    "a scheduler lease holder",
    () => leaseHolderPid(PORTS[0]),
    (pid) => pid !== null,
  );
  const victim = servers.find((s) => pidsOf(s).includes(holder!));
  expect(victim, `lease holder pid ${holder} is one of the servers`).toBeDefined();
  const survivors = servers.filter((s) => s !== victim);
  const survivorPorts = survivors.map((s) => s.port);
  const survivorPids = survivors.flatMap(pidsOf);

  // starts keep flowing to the survivors during the kill and the takeover
  const acknowledged: string[] = [];
  const answered: Record<string, number> = {};
  let flowing = true;
  let n = 0;
  const client = async (c: number) => {
    while (flowing) {
      const r = await start(c, "e2e-ms-flow", 10_000 + n++, bucketTime, survivorPorts);
      answered[r.status] = (answered[r.status] ?? 0) + 1;
      if (r.status === 200) acknowledged.push(r.json()._id as string);
    }
  };
  const clients = Array.from({ length: 6 }, (_, c) => client(c));
  let takeoverMs = 0;
  let killedAt = 0;
  try {
    await until(
      "starts to flow",
      () => acknowledged.length,
      (k) => k >= 10,
    );

    const victimPids = pidsOf(victim!);
    killedAt = Date.now();
    for (const pid of victimPids.reverse()) process.kill(pid, "SIGKILL");
    await victim!.exited;
    const newHolder = await until(
      "a survivor to take the scheduler lease over",
      () => leaseHolderPid(survivorPorts[0]),
      (pid) => pid !== null && survivorPids.includes(pid),
      60_000,
    );
    takeoverMs = Date.now() - killedAt;
    expect(survivorPids).toContain(newHolder);
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

  // every due callback leaves SCHEDULED (handed over by whichever server holds the lease)
  await until(
    "every due callback to be handed over",
    () => stored("e2e-ms-due", "SCHEDULED"),
    (left) => left === 0,
    120_000,
  );
  const handedAt = Date.now();

  const storedIds = new Set(
    (await ms.pool.query<{ id: string }>("SELECT id FROM callbacks WHERE service_name IN ('e2e-ms-due', 'e2e-ms-flow')")).rows.map(
      (r) => r.id,
    ),
  );
  expect([...dueIds, ...acknowledged].filter((id) => !storedIds.has(id))).toEqual([]);
  const twice = await ms.pool.query(
    "SELECT callback_id, count(*) FROM handoffs WHERE status = 'ok' GROUP BY callback_id HAVING count(*) > 1",
  );
  expect(twice.rows).toEqual([]);
  const okRows = await ms.pool.query<{ callback_id: string; n: string }>(
    "SELECT callback_id, count(*) AS n FROM handoffs WHERE status = 'ok' AND callback_id = ANY($1) GROUP BY callback_id",
    [dueIds],
  );
  expect(okRows.rows.length).toBe(50);
  expect(okRows.rows.every((r) => r.n === "1")).toBe(true);
  // due 30 s after creation, well after the kill: every hand-off was made by a survivor after the takeover
  const early = await count("SELECT count(*) AS n FROM handoffs WHERE callback_id = ANY($1) AND created_at < $2", [dueIds, killedAt]);
  expect(early).toBe(0);
  expect(await stored("e2e-ms-due", "QUEUED")).toBe(50);

  // the dead holder's lease lapses after 10 s; a survivor's scheduler loop (every 250 ms) then takes it
  expect(takeoverMs).toBeLessThan(10_000 + 20_000);
  console.log(
    `[multi-server] takeover ${takeoverMs} ms after kill -9; flow starts ${JSON.stringify(answered)}, ` +
      `${acknowledged.length} acknowledged; due callbacks all handed over ${handedAt - Date.parse(desired)} ms after their desired time`,
  );
});
