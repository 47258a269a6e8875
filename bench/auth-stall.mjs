#!/usr/bin/env node
// Sign-in cost under attack, against a running server (loopback only, stops by itself):
//   1. GET /genesys/1/ping latency alone, then while 20 clients send wrong Basic credentials non-stop for 10 s
//      (each guess a new user name and client address, so the limiter lets every one through to scrypt);
//   2. the time to refuse a wrong password for an unknown user vs an existing one (user enumeration by timing).
// Usage: node bench/auth-stall.mjs [base URL]   (ADMIN_USER / ADMIN_PASSWORD: an admin, to create test users)
const base = process.argv[2] ?? "http://localhost:3000";
const admin = "Basic " + Buffer.from(`${process.env.ADMIN_USER ?? "admin"}:${process.env.ADMIN_PASSWORD ?? ""}`).toString("base64");
const basic = (u, p) => "Basic " + Buffer.from(`${u}:${p}`).toString("base64");
let n = 0;
const address = () => `10.${(++n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`; // TRUST_PROXY unset: taken as the client
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
const ms = (x) => `${x.toFixed(1)} ms`;
const fmt = (xs) => `p50 ${ms(pct(xs, 50))}, p99 ${ms(pct(xs, 99))}, max ${ms(Math.max(...xs))} (n=${xs.length})`;

async function timed(url, headers) {
  const t = performance.now();
  const r = await fetch(base + url, { headers });
  await r.arrayBuffer();
  return { ms: performance.now() - t, status: r.status };
}

async function pings(untilMs) {
  const out = [];
  while (performance.now() < untilMs) out.push((await timed("/genesys/1/ping")).ms);
  return out;
}

for (let i = 0; i < 50; i++) await timed("/genesys/1/ping"); // warm-up
console.log(`ping alone:                 ${fmt(await pings(performance.now() + 5000))}`);

let stop = false;
const statuses = {};
const guesser = async () => {
  while (!stop) {
    const r = await timed("/genesys/1/admin/services", { authorization: basic(`nobody-${n}`, "guess"), "x-forwarded-for": address() });
    statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  }
};
const t0 = performance.now();
const guessers = Array.from({ length: 20 }, guesser);
const during = await pings(t0 + 10_000);
stop = true;
await Promise.all(guessers);
const guesses = Object.values(statuses).reduce((a, b) => a + b, 0);
console.log(`ping under 20 guessers:     ${fmt(during)}; ${guesses} guesses in 10 s (${JSON.stringify(statuses)})`);

// enumeration: existing users (4 wrong guesses each, under the per-user limit) vs unknown names
const known = [],
  unknown = [];
for (let i = 0; i < 10; i++) {
  const name = `bench-enum-${Date.now()}-${i}`;
  const r = await fetch(`${base}/genesys/1/admin/users/${name}`, {
    method: "PUT",
    headers: { authorization: admin, "content-type": "application/json" },
    body: JSON.stringify({ password: "bench-pass-1", role: "monitor" }),
  });
  if (r.status !== 200) throw new Error(`creating ${name}: ${r.status} (set ADMIN_USER / ADMIN_PASSWORD)`);
  for (let j = 0; j < 4; j++) {
    const guess = async (user) =>
      (await timed("/genesys/1/admin/services", { authorization: basic(user, `wrong-${j}`), "x-forwarded-for": address() })).ms;
    known.push(await guess(name));
    unknown.push(await guess(`${name}-x`));
  }
  await fetch(`${base}/genesys/1/admin/users/${name}`, { method: "DELETE", headers: { authorization: admin } });
}
console.log(`wrong password, known user: ${fmt(known)}`);
console.log(`wrong password, unknown:    ${fmt(unknown)}`);
