import type { NetworkPermissions } from "./schema.js";

/** Ports reachable when `allowedPorts` is empty. */
export const DEFAULT_NETWORK_PORTS: readonly number[] = Object.freeze([80, 443]);

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const HOST_NAME = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** The four octets of a dotted-quad IPv4 address, or undefined (no short or octal forms). */
function ipv4Octets(host: string): number[] | undefined {
  const match = IPV4.exec(host);
  if (!match) return undefined;
  const octets = match.slice(1).map(Number);
  if (octets.some((o, i) => o > 255 || (match[i + 1]!.length > 1 && match[i + 1]!.startsWith("0"))))
    return undefined;
  return octets;
}

/** The eight 16-bit groups of an IPv6 address (with an optional embedded IPv4 tail), or undefined. */
function ipv6Groups(host: string): number[] | undefined {
  if (!host.includes(":") || host.length > 45) return undefined;
  let text = host;
  let tail: number[] = [];
  const lastColon = text.lastIndexOf(":");
  const v4 = ipv4Octets(text.slice(lastColon + 1));
  if (v4) {
    tail = [(v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!];
    text = text.slice(0, lastColon + 1);
    if (!text.endsWith("::")) text = text.slice(0, -1);
  }
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const groups = (part: string) => (part === "" ? [] : part.split(":"));
  const head = groups(halves[0]!);
  const after = halves.length === 2 ? groups(halves[1]!) : [];
  if ([...head, ...after].some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return undefined;
  const explicit = head.length + after.length + tail.length;
  if (halves.length === 1 ? explicit !== 8 : explicit > 7) return undefined;
  const hex = (g: string) => Number.parseInt(g, 16);
  const zeros = new Array<number>(halves.length === 2 ? 8 - explicit : 0).fill(0);
  return [...head.map(hex), ...zeros, ...after.map(hex), ...tail];
}

/** Lowercase, without IPv6 brackets and without the trailing dot of a fully qualified name. */
export function normalizeHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith("[") && h.endsWith("]")) h = h.slice(1, -1);
  if (h.endsWith(".") && !h.endsWith("..")) h = h.slice(0, -1);
  return h;
}

/** True for localhost, 127.0.0.0/8, ::1 and ::ffff:127.0.0.0/104 (IPv4-mapped loopback). */
export function isLoopbackHost(host: string): boolean {
  const h = normalizeHost(host);
  if (h === "localhost") return true;
  const v4 = ipv4Octets(h);
  if (v4) return v4[0] === 127;
  const v6 = ipv6Groups(h);
  if (!v6) return false;
  const zeroPrefix = (n: number) => v6.slice(0, n).every((g) => g === 0);
  if (zeroPrefix(7) && v6[7] === 1) return true;
  return zeroPrefix(5) && v6[5] === 0xffff && v6[6]! >> 8 === 127;
}

/**
 * Is `pattern` a valid `allowedDomains` entry: a host name, a dotted-quad IPv4 address, or a wildcard
 * `*.example.com` with at least two labels after the `*.` (a wildcard over a whole top-level domain such as
 * `*.com` is refused)? Expects lowercase.
 */
export function isDomainPattern(pattern: string): boolean {
  if (pattern.length > 253) return false;
  if (pattern.startsWith("*.")) return pattern.slice(2).includes(".") && HOST_NAME.test(pattern.slice(2));
  if (/^[\d.]+$/.test(pattern)) return ipv4Octets(pattern) !== undefined;
  return HOST_NAME.test(pattern);
}

/** Does one `allowedDomains` entry admit `host` (both normalised)? Wildcards match subdomains only. */
function domainMatches(pattern: string, host: string): boolean {
  if (pattern.startsWith("*.")) {
    const suffix = pattern.slice(1); // ".example.com"
    return host.length > suffix.length && host.endsWith(suffix);
  }
  return pattern === host;
}

/**
 * The network policy the runtime enforces for a plugin, as a pure function: may the plugin connect to
 * `host`:`port`?
 * - `denyAll` refuses everything.
 * - `allowedDomains` lists exact hosts (and IPv4 addresses) and `*.example.com` wildcards, which match any
 *   subdomain but not example.com itself.
 * - `allowedPorts` lists reachable ports; when empty only 80 and 443 are.
 * - `loopbackOnly` admits only localhost, 127.0.0.0/8 and ::1: every loopback target when
 *   `allowedDomains` is empty, else only the listed ones. A non-loopback host is always refused.
 * Malformed hosts and ports are refused.
 */
export function isNetworkTargetAllowed(network: NetworkPermissions, host: string, port: number): boolean {
  if (network.denyAll) return false;
  if (typeof host !== "string" || host.length === 0 || host.length > 255) return false;
  if (!Number.isInteger(port) || port < 1 || port > 65_535) return false;
  const ports = network.allowedPorts.length > 0 ? network.allowedPorts : DEFAULT_NETWORK_PORTS;
  if (!ports.includes(port)) return false;
  const h = normalizeHost(host);
  const isIp = ipv4Octets(h) !== undefined || ipv6Groups(h) !== undefined;
  if (!isIp && !HOST_NAME.test(h)) return false;
  const listed = network.allowedDomains.some((pattern) => domainMatches(normalizeHost(pattern), h));
  if (network.loopbackOnly) return isLoopbackHost(h) && (network.allowedDomains.length === 0 || listed);
  return listed;
}
