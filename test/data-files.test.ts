import { describe, it, expect } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "../db/client";
import { Store } from "../db/store";
import { loadAuthSecret, secretPath } from "../lib/auth/secret";

const mode = (p: string) => fs.statSync(p).mode & 0o777;
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "cbfiles-"));

describe("data files are readable by their owner only", () => {
  it("creates the database directory 0700 and the database, -wal and -shm files 0600, whatever the umask", () => {
    const old = process.umask(0o022);
    try {
      const dir = path.join(tmp(), "data", "nested");
      const h = openDatabase(path.join(dir, "cb.db"));
      h.sqlite.prepare("CREATE TABLE t (x)").run(); // a write: the WAL file exists now
      expect(mode(dir)).toBe(0o700);
      expect(mode(path.dirname(dir))).toBe(0o700);
      for (const f of ["cb.db", "cb.db-wal", "cb.db-shm"]) expect(mode(path.join(dir, f))).toBe(0o600);
      h.sqlite.close();
    } finally {
      process.umask(old);
    }
  });

  it("tightens a database an older version left world-readable, and leaves an existing directory's mode alone", () => {
    const dir = tmp();
    fs.chmodSync(dir, 0o755);
    const file = path.join(dir, "old.db");
    openDatabase(file).sqlite.close();
    fs.chmodSync(file, 0o644);
    const h = openDatabase(file);
    expect(mode(file)).toBe(0o600);
    expect(mode(dir)).toBe(0o755);
    h.sqlite.close();
  });
});

describe("the generated session secret", () => {
  it("is created once in <database dir>/auth-secret with mode 0600 and never stored in the database", async () => {
    const dir = tmp();
    const store = new Store(openDatabase(path.join(dir, "cb.db")));
    const secret = await loadAuthSecret(store, {});
    expect(secretPath(store.handle.path)).toBe(path.join(dir, "auth-secret"));
    expect(mode(path.join(dir, "auth-secret"))).toBe(0o600);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await loadAuthSecret(store, {})).toBe(secret);
    expect(JSON.stringify((await store.getSettings("internal")) ?? {})).not.toContain(secret);
  });

  it("moves a secret an older version kept in the settings table into the file (sessions stay valid) and removes it there", async () => {
    const dir = tmp();
    const store = new Store(openDatabase(path.join(dir, "cb.db")));
    await store.putSettings("internal", { authSecret: "legacy-secret-value", other: 1 }, Date.now());
    expect(await loadAuthSecret(store, {})).toBe("legacy-secret-value");
    expect(fs.readFileSync(path.join(dir, "auth-secret"), "utf8").trim()).toBe("legacy-secret-value");
    expect(await store.getSettings("internal")).toEqual({ other: 1 });
  });

  it("NEXTAUTH_SECRET wins and then no file is written", async () => {
    const dir = tmp();
    const store = new Store(openDatabase(path.join(dir, "cb.db")));
    expect(await loadAuthSecret(store, { NEXTAUTH_SECRET: "from-env" })).toBe("from-env");
    expect(fs.existsSync(path.join(dir, "auth-secret"))).toBe(false);
  });
});
