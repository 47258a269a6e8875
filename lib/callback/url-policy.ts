// The outbound URL policy: which URLs this server may call (hand-off, cancel, status notifications), and how a
// request may fill a URL option's `$token$`s. URLs a request can influence are an SSRF surface; the policy is
// described in docs/security.md ("Outbound URLs"). The engine checks targets at start with it; execution
// enforces it on every POST (lib/execution/outbound.ts).
import net from "node:net";
import os from "node:os";
import { badParameter } from "./errors";

// Link-local addresses and the cloud metadata endpoints (AWS/GCP/Azure 169.254.169.254, AWS IPv6, Alibaba):
// refused unless EXECUTION_URL_ALLOWLIST names them exactly. BlockList also matches IPv4-mapped IPv6 forms.
const METADATA = new net.BlockList();
METADATA.addSubnet("169.254.0.0", 16, "ipv4");
METADATA.addSubnet("fe80::", 10, "ipv6");
METADATA.addAddress("100.100.100.200", "ipv4");
METADATA.addAddress("fd00:ec2::254", "ipv6");
const METADATA_NAMES = new Set(["metadata.google.internal", "metadata.goog", "metadata"]);

const LOOPBACK = new net.BlockList();
LOOPBACK.addSubnet("127.0.0.0", 8, "ipv4");
LOOPBACK.addAddress("::1", "ipv6");

const family = (ip: string) => (net.isIP(ip) === 6 ? "ipv6" : "ipv4");
export const isMetadataAddress = (ip: string) => net.isIP(ip) !== 0 && METADATA.check(ip, family(ip));

/** The host of a URL as compared by the policy: lower case, IPv6 without brackets. */
const hostOf = (u: URL) => u.hostname.toLowerCase().replace(/^\[(.*)\]$/, "$1");

interface Allowlist {
  origins: Set<string>;
  hosts: Set<string>;
  suffixes: string[];
}

let parsed: { text: string; list: Allowlist | null } | null = null;

/**
 * EXECUTION_URL_ALLOWLIST: comma-separated origins (`https://ors.example.com:8443`), hosts (`ors.example.com`)
 * or host patterns (`*.example.com`, any subdomain). Unset or empty → null (the default policy applies).
 */
function allowlist(): Allowlist | null {
  const text = process.env.EXECUTION_URL_ALLOWLIST ?? "";
  if (parsed?.text === text) return parsed.list;
  const list: Allowlist = { origins: new Set(), hosts: new Set(), suffixes: [] };
  for (const raw of text
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean)) {
    if (raw.startsWith("*.")) list.suffixes.push(raw.slice(1));
    else if (raw.includes("://")) {
      try {
        list.origins.add(new URL(raw).origin);
      } catch {
        // not an origin: an entry that can never match
      }
    } else list.hosts.add(raw.replace(/^\[(.*)\]$/, "$1"));
  }
  const empty = list.origins.size + list.hosts.size + list.suffixes.length === 0;
  parsed = { text, list: empty ? null : list };
  return parsed.list;
}

/** Named exactly by the allowlist (an origin or a host, never a pattern): may even be a metadata address. */
export function explicitlyAllowed(u: URL): boolean {
  const list = allowlist();
  return !!list && (list.origins.has(u.origin) || list.hosts.has(hostOf(u)));
}

let ownNames: Set<string> | null = null;
/** This machine: its host name and the addresses of its interfaces. */
function isThisMachine(host: string): boolean {
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (net.isIP(host) && LOOPBACK.check(host, family(host))) return true;
  ownNames ??= new Set([
    os.hostname().toLowerCase(),
    ...Object.values(os.networkInterfaces())
      .flat()
      .flatMap((i) => (i ? [i.address.toLowerCase()] : [])),
  ]);
  return ownNames.has(host);
}

const TOKEN = /\$[A-Za-z0-9_.-]+\$/;
/** Scheme and authority (`https://user@host:port`) of a URL or URL template. */
const AUTHORITY = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/;

/** The origin of a configured URL, when its scheme, host and port are literal (no `$token$` among them). */
function configuredOrigin(template: string): string | null {
  const m = AUTHORITY.exec(template.trim());
  if (!m || TOKEN.test(m[0])) return null;
  try {
    return new URL(m[0]).origin;
  } catch {
    return null;
  }
}

/**
 * Why the policy refuses `url`, or null when it may be called. `configured` are the URL options as the admin
 * configured them for the service: without an allowlist, their origins and this machine are allowed.
 */
export function targetRefusal(url: string, configured: readonly string[]): string | null {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    return "not a valid http(s) URL";
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") return `scheme ${u.protocol} is not allowed (http or https only)`;
  const host = hostOf(u);
  if (explicitlyAllowed(u)) return null;
  if (METADATA_NAMES.has(host) || isMetadataAddress(host)) return `${u.origin} is a link-local or cloud metadata address`;
  const list = allowlist();
  if (list) return list.suffixes.some((s) => host.endsWith(s)) ? null : `${u.origin} is not in EXECUTION_URL_ALLOWLIST`;
  if (isThisMachine(host) || configured.some((c) => configuredOrigin(c) === u.origin)) return null;
  return `${u.origin} is neither this host nor configured in the service (see EXECUTION_URL_ALLOWLIST)`;
}

/**
 * Fills the `$name$` tokens of a URL option from request params. A token may only fill the path or query,
 * percent-encoded: a request must never choose where the server connects (400 40010 naming the option).
 * Tokens without a param stay as written.
 */
export function fillUrlTemplate(option: string, template: string, param: (name: string) => string | undefined): string {
  const authority = AUTHORITY.exec(template)?.[0].length ?? template.length;
  return template.replace(/\$([A-Za-z0-9_.-]+)\$/g, (m, name: string, at: number) => {
    const value = param(name);
    if (value === undefined) return m;
    if (at < authority)
      throw badParameter(`Invalid option ${option}: a $token$ may only fill the path or query of a URL, not its scheme, host or port`);
    return encodeURIComponent(value);
  });
}
