#!/usr/bin/env node
// A throwaway PostgreSQL cluster for tests, benches and e2e runs: initdb into a temp dir (trust auth, UTF8, no
// fsync), listen on 127.0.0.1 on a free port and on a unix socket inside the temp dir, create a database, and
// hand back its postgres:// URL. stop() (or the process exiting) stops the server and deletes the directory.
// Run directly (`node scripts/pg-cluster.mjs`) it prints the URL and keeps the cluster until Ctrl-C.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

const INSTALL_HINT =
  "PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found on PATH nor in /usr/lib/postgresql/*/bin.\n" +
  "Install them: Debian/Ubuntu `sudo apt-get install -y postgresql`, Fedora `sudo dnf install postgresql-server`, " +
  "macOS `brew install postgresql`; or point PG_BIN at the directory holding initdb. `.ci/run` installs them on CI.";

/**
 * The directory holding initdb, pg_ctl and postgres, or throws with how to install them.
 * @param {{ PG_BIN?: string, PATH?: string }} [env] where PG_BIN and PATH are read
 * @param {string} [debianRoot] where Debian installs one bin/ per major version
 */
export function findPgBin(env = process.env, debianRoot = "/usr/lib/postgresql") {
  const has = (dir) => ["initdb", "pg_ctl", "postgres"].every((b) => fs.existsSync(path.join(dir, b)));
  const candidates = [];
  if (env.PG_BIN) candidates.push(env.PG_BIN);
  for (const dir of (env.PATH || "").split(path.delimiter)) if (dir) candidates.push(dir);
  try {
    // newest major first: /usr/lib/postgresql/17/bin before /usr/lib/postgresql/15/bin
    const majors = fs.readdirSync(debianRoot).sort((a, b) => Number(b) - Number(a));
    for (const m of majors) candidates.push(path.join(debianRoot, m, "bin"));
  } catch {
    // no Debian layout: PATH and PG_BIN were the only places to look
  }
  for (const dir of candidates) {
    if (!has(dir)) continue;
    // Debian's /usr/bin/pg_ctl* are wrappers needing a configured cluster; the real binaries sit beside initdb
    const real = fs.realpathSync(path.join(dir, "initdb"));
    return has(path.dirname(real)) ? path.dirname(real) : dir;
  }
  throw new Error(INSTALL_HINT);
}

/** A port that was free a moment ago; the caller retries if someone else takes it before postgres binds it. */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * postgres refuses to run as root. As root we run initdb, pg_ctl and psql as an unprivileged account (the
 * `postgres` user Debian's package creates, else `nobody`) through runuser, and give it the temp dir.
 */
function runAs() {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return null;
  for (const user of ["postgres", "nobody"]) {
    const id = spawnSync("id", ["-u", user], { encoding: "utf8" });
    const gid = spawnSync("id", ["-g", user], { encoding: "utf8" });
    if (id.status === 0 && gid.status === 0) return { user, uid: Number(id.stdout), gid: Number(gid.stdout) };
  }
  throw new Error("running as root and no unprivileged account (postgres, nobody) to run PostgreSQL as");
}

function run(bin, args, as, opts = {}) {
  const [cmd, argv] = as ? ["runuser", ["-u", as.user, "--", bin, ...args]] : [bin, args];
  return execFileSync(cmd, argv, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], ...opts });
}

const live = new Set();
let exitHookInstalled = false;
function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // a test runner or script that ends without calling stop() must not leave a postgres behind
  process.on("exit", () => {
    for (const c of [...live]) c.stopSync();
  });
  for (const sig of ["SIGINT", "SIGTERM"])
    process.once(sig, () => {
      for (const c of [...live]) c.stopSync();
      // end as the signal would have, unless someone else (a test runner) handles it
      if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
    });
}

/**
 * Starts a private cluster and creates `database` in it.
 * @param {{ database?: string }} [opts]
 * @returns {Promise<import("./pg-cluster.d.mts").PgCluster>}
 */
export async function startPgCluster(opts = {}) {
  const database = opts.database || "callbacks";
  const bin = findPgBin();
  const as = runAs();
  const started = Date.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cbpg-"));
  const data = path.join(dir, "data");
  fs.mkdirSync(data, { mode: 0o700 });
  if (as) {
    for (const d of [dir, data]) fs.chownSync(d, as.uid, as.gid);
    if (spawnSync("runuser", ["-u", as.user, "--", "test", "-w", data]).status !== 0) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw new Error(`${as.user} (PostgreSQL's account, as we run as root) cannot reach ${data}: set TMPDIR to a directory it can enter`);
    }
  }
  const cleanup = () => fs.rmSync(dir, { recursive: true, force: true });
  try {
    run(path.join(bin, "initdb"), ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"], as);
  } catch (e) {
    cleanup();
    throw new Error(`initdb failed: ${e.stderr || e.message}`);
  }
  const pgCtl = path.join(bin, "pg_ctl");
  const stopSync = () => {
    live.delete(cluster);
    try {
      run(pgCtl, ["-D", data, "-m", "immediate", "-w", "stop"], as);
    } catch {
      // already stopped (or never started): nothing left to stop
    }
    cleanup();
  };
  const cluster = { stopSync };
  let port = 0;
  let lastError = "";
  for (let attempt = 0; attempt < 5 && !port; attempt++) {
    const candidate = await freePort();
    const options = [
      `-p ${candidate}`,
      "-c listen_addresses=127.0.0.1",
      `-c unix_socket_directories=${dir}`,
      "-c fsync=off",
      "-c synchronous_commit=off",
      "-c full_page_writes=off",
      `-c max_connections=${opts.maxConnections || 100}`,
    ].join(" ");
    try {
      run(pgCtl, ["-D", data, "-o", options, "-l", path.join(dir, "server.log"), "-w", "-t", "60", "start"], as);
      port = candidate;
    } catch (e) {
      lastError = `${e.stderr || e.message}\n${readLog(dir)}`;
    }
  }
  if (!port) {
    stopSync();
    throw new Error(`PostgreSQL did not start: ${lastError}`);
  }
  live.add(cluster);
  installExitHook();
  try {
    createDb(bin, dir, port, database, as);
  } catch (e) {
    stopSync();
    throw new Error(`could not create database ${database}: ${e.stderr || e.message}`);
  }
  const url = `postgres://postgres@127.0.0.1:${port}/${database}`;
  return {
    url,
    port,
    dir,
    socketDir: dir,
    database,
    startMs: Date.now() - started,
    stop: async () => stopSync(),
  };
}

function createDb(bin, socketDir, port, database, as) {
  const createdb = path.join(bin, "createdb");
  if (fs.existsSync(createdb)) {
    run(createdb, ["-h", socketDir, "-p", String(port), "-U", "postgres", database], as);
    return;
  }
  run(path.join(bin, "psql"), ["-h", socketDir, "-p", String(port), "-U", "postgres", "-c", `CREATE DATABASE "${database}"`], as);
}

function readLog(dir) {
  try {
    return fs.readFileSync(path.join(dir, "server.log"), "utf8").slice(-2000);
  } catch {
    return "";
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const c = await startPgCluster({ database: process.argv[2] });
  console.log(`${c.url}  (started in ${c.startMs} ms; data in ${c.dir}; Ctrl-C stops and deletes it)`);
  setInterval(() => {}, 1 << 30);
}
