// The client address that sign-in throttling counts per (README "Security": TRUST_PROXY).
//
// Next.js gives route handlers no socket address; it fills `x-forwarded-for` from the socket when a request
// arrives without one. Each proxy in front appends the address it saw, so the entry `hops` from the right is
// the client as the outermost trusted proxy saw it; entries further left were sent by the client and can lie.

/** TRUST_PROXY: `true` = one reverse proxy in front, a number = that many; unset/`false` = none. */
function trustedProxyHops(env: Record<string, string | undefined> = process.env): number {
  const v = (env.TRUST_PROXY ?? "").trim().toLowerCase();
  if (v === "true") return 1;
  const n = Number(v);
  return Number.isInteger(n) && n > 0 ? Math.min(n, 10) : 0;
}

export function clientAddress(xForwardedFor: string | null | undefined, hops = trustedProxyHops()): string {
  const chain = (xForwardedFor ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (chain.length === 0) return "unknown";
  // Without a proxy (hops 0) the right-most entry is the one Next.js took from the socket.
  return chain[Math.max(0, chain.length - Math.max(hops, 1))];
}
