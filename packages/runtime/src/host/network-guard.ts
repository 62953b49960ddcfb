import {
  isNetworkTargetAllowed,
  type NetworkPermissions,
  SecurityViolationError,
} from "@wasm-sandbox/manifest";

/**
 * The network capability as host functions see it. Guests have no network imports of their own: the only
 * way out is a host function, and a host function that reaches the network must ask this guard first.
 */
export interface NetworkGuard {
  /** True when the manifest's network permissions allow this URL (host and port). */
  allowed(url: string | URL): boolean;
  /** Returns the parsed URL when allowed; throws SECURITY_VIOLATION (which fails the guest's call) when not. */
  check(url: string | URL): URL;
}

const DEFAULT_PORTS: Record<string, number> = { "http:": 80, "https:": 443, "ws:": 80, "wss:": 443 };

function target(url: string | URL): { parsed: URL; host: string; port: number } | undefined {
  let parsed: URL;
  try {
    parsed = url instanceof URL ? url : new URL(url);
  } catch {
    return undefined;
  }
  const port = parsed.port === "" ? DEFAULT_PORTS[parsed.protocol] : Number(parsed.port);
  if (port === undefined) return undefined;
  return { parsed, host: parsed.hostname, port };
}

export function createNetworkGuard(
  network: NetworkPermissions,
  where: () => Record<string, unknown>,
): NetworkGuard {
  const allowed = (url: string | URL) => {
    const t = target(url);
    return t !== undefined && isNetworkTargetAllowed(network, t.host, t.port);
  };
  return {
    allowed,
    check(url) {
      const t = target(url);
      if (t === undefined || !isNetworkTargetAllowed(network, t.host, t.port)) {
        throw new SecurityViolationError(
          `Network access to ${String(url)} is not permitted for this plugin`,
          {
            suggestion: network.denyAll
              ? "Set permissions.network.denyAll to false and list the host in allowedDomains (and the port in allowedPorts)."
              : "List the host in permissions.network.allowedDomains and the port in allowedPorts.",
            context: { ...where(), url: String(url), permission: "permissions.network" },
          },
        );
      }
      return t.parsed;
    },
  };
}
