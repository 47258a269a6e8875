// Outbound HTTP of execution (hand-off, cancel, status notifications): the one POST that enforces the outbound
// URL policy of lib/callback/url-policy.ts (allowlist, no redirects, no metadata addresses).
import http from "node:http";
import https from "node:https";
import dns from "node:dns";
import type net from "node:net";
import { explicitlyAllowed, isMetadataAddress, targetRefusal } from "../callback/url-policy";

/** A target the policy refuses: nothing was sent. */
export class OutboundRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OutboundRefused";
  }
}

/** DNS resolution that refuses names resolving to a link-local or metadata address (checked on the address used). */
const guardedLookup: net.LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, "", 0);
    const bad = addresses.find((a) => isMetadataAddress(a.address));
    if (bad) return callback(new OutboundRefused(`${hostname} resolves to ${bad.address}, a link-local or cloud metadata address`), "", 0);
    if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
};

export interface OutboundResponse {
  status: number;
  text: string;
}

const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * POSTs JSON to `url` if the policy allows it (else OutboundRefused, nothing sent). Redirects are never followed:
 * a 3xx is returned like any other status. Rejects after `timeoutMs` without a complete answer.
 */
export function postJson(
  url: string,
  body: unknown,
  opts: { configured: readonly string[]; timeoutMs: number; headers?: Record<string, string> },
): Promise<OutboundResponse> {
  const why = targetRefusal(url, opts.configured);
  if (why) return Promise.reject(new OutboundRefused(`outbound URL refused: ${why}`));
  const u = new URL(url.trim());
  const payload = JSON.stringify(body);
  const signal = AbortSignal.timeout(opts.timeoutMs);
  return new Promise((resolve, reject) => {
    const fail = (e: Error) => reject(signal.aborted ? new Error(`no answer from ${u.origin} within ${opts.timeoutMs} ms`) : e);
    const req = (u.protocol === "https:" ? https : http).request(
      u,
      {
        method: "POST",
        headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(payload)), ...opts.headers },
        signal,
        // a name the allowlist states exactly is trusted whatever it resolves to
        lookup: explicitlyAllowed(u) ? undefined : guardedLookup,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (c: Buffer) => {
          size += c.length;
          if (size <= MAX_RESPONSE_BYTES) chunks.push(c);
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", fail);
      },
    );
    req.on("error", fail);
    req.end(payload);
  });
}
