// SIGTERM under load against the production build: every Start-Callback answered 200 is in the database after
// the server has stopped, and the server stops by itself, handing its scheduler lease back.
import { test, expect } from "@playwright/test";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";

const PORT = Number(process.env.E2E_PORT || 3100) + 7;
const BASE = `http://localhost:${PORT}`;

test("a SIGTERM while Start-Callback requests stream in loses no acknowledged callback", async () => {
  test.setTimeout(90_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cb-sigterm-"));
  const dbPath = path.join(dir, "db.sqlite");
  const server = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(PORT)], {
    env: { ...process.env, DATABASE_PATH: dbPath, ADMIN_PASSWORD: "sigterm-pass-1", SEED_DEMO: "false", NEXT_TELEMETRY_DISABLED: "1" },
    stdio: "ignore",
  });
  const exited = new Promise<number | null>((r) => server.on("exit", (code) => r(code)));
  for (let i = 0; ; i++) {
    const ok = await fetch(`${BASE}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    expect(i).toBeLessThan(300);
    await new Promise((r) => setTimeout(r, 100));
  }
  const auth = "Basic " + Buffer.from("admin:sigterm-pass-1").toString("base64");
  const put = await fetch(`${BASE}/genesys/1/admin/services/svc`, {
    method: "PUT",
    headers: { authorization: auth, "content-type": "application/json" },
    body: JSON.stringify({ _service: "callback", _enable_in_queue_checking: "false", _max_request_by_time_bucket: 100000 }),
  });
  expect(put.status).toBe(200);

  const acknowledged: string[] = [];
  let stopping = false;
  let n = 0;
  const client = async () => {
    while (!stopping || n < 50) {
      const desired = new Date(Date.now() + 86_400_000 + (n % 1000) * 60_000).toISOString();
      const body = JSON.stringify({ _customer_number: `+1617${5_000_000 + n++}`, _desired_time: desired });
      try {
        const r = await fetch(`${BASE}/genesys/1/service/callback/svc`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body,
        });
        if (r.status === 200) acknowledged.push((await r.json())._id);
      } catch {
        return; // the server stopped accepting
      }
    }
  };
  const clients = Array.from({ length: 16 }, client);
  await new Promise((r) => setTimeout(r, 1500));
  stopping = true;
  server.kill("SIGTERM");
  await Promise.all(clients);
  expect(await exited).toBe(143);

  expect(acknowledged.length).toBeGreaterThan(50);
  const db = new Database(dbPath, { readonly: true });
  const stored = new Set(db.prepare("SELECT id FROM callbacks").pluck().all() as string[]);
  const lease = db.prepare("SELECT holder FROM leases WHERE name = 'scheduler'").get();
  db.close();
  expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
  expect(lease).toBeUndefined(); // handed back, so a standby takes over at once
});
