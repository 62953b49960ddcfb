import { ErrorCode, type PluginManifest, SandboxError } from "@wasm-sandbox/manifest";

/**
 * The capability vocabulary used by `PluginQuery.requiredCapabilities`, derived from a manifest's
 * `permissions` when the plugin is registered. A capability names something the plugin is granted:
 *
 * | capability | granted when |
 * |---|---|
 * | `network` | `network.denyAll` is false |
 * | `network:<domain>` | network is granted and `<domain>` is in `allowedDomains` (as written, e.g. `*.example.com`) |
 * | `network:loopback` | network is granted with `loopbackOnly` |
 * | `filesystem` | `filesystem.denyAll` is false |
 * | `filesystem:read` / `filesystem:write` | filesystem is granted with `readPaths` / `writePaths` |
 * | `filesystem:temp` | filesystem is granted with `tempDirAccess` |
 * | `env`, `env:<NAME>` | `envVars` is not empty / lists `<NAME>` |
 * | `hostFunctions`, `hostFunctions:<name>` | `hostFunctions` is not empty / lists `<name>` |
 * | `clock` | the plugin sees a moving clock (`clock` is `real` or `coarse`) |
 * | `clock:real`, `clock:coarse`, `clock:frozen` | that clock policy |
 * | `random` | crypto-random bytes (`random: "secure"`) |
 * | `random:secure`, `random:seeded` | that randomness policy |
 */
export const CAPABILITIES = ["network", "filesystem", "env", "hostFunctions", "clock", "random"] as const;

export type CapabilityFamily = (typeof CAPABILITIES)[number];

/** The fixed qualifiers; families missing here take any name (`env:HOME`, `hostFunctions:kv.get`). */
const FIXED_QUALIFIERS: Partial<Record<CapabilityFamily, readonly string[]>> = {
  filesystem: ["read", "write", "temp"],
  clock: ["real", "coarse", "frozen"],
  random: ["secure", "seeded"],
};

/** Every capability a manifest grants, without duplicates. */
export function capabilitiesOf(manifest: PluginManifest): string[] {
  const { network, filesystem, envVars, hostFunctions, clock, random } = manifest.permissions;
  const caps = new Set<string>();
  if (!network.denyAll) {
    caps.add("network");
    for (const domain of network.allowedDomains) caps.add(`network:${domain}`);
    if (network.loopbackOnly) caps.add("network:loopback");
  }
  if (!filesystem.denyAll) {
    caps.add("filesystem");
    if (filesystem.readPaths.length > 0) caps.add("filesystem:read");
    if (filesystem.writePaths.length > 0) caps.add("filesystem:write");
    if (filesystem.tempDirAccess) caps.add("filesystem:temp");
  }
  if (envVars.length > 0) caps.add("env");
  for (const name of envVars) caps.add(`env:${name}`);
  if (hostFunctions.length > 0) caps.add("hostFunctions");
  for (const name of hostFunctions) caps.add(`hostFunctions:${name}`);
  if (clock !== "frozen") caps.add("clock");
  caps.add(`clock:${clock}`);
  if (random === "secure") caps.add("random");
  caps.add(`random:${random}`);
  return [...caps];
}

/**
 * Checks a capability from a query against the vocabulary and returns its stored form. Unknown families or
 * qualifiers are an INVALID_ARGUMENT, so a typo never silently matches nothing.
 */
export function normalizeCapability(capability: unknown): string {
  if (typeof capability !== "string" || capability.length === 0 || capability.length > 512) {
    throw invalidCapability(String(capability));
  }
  const colon = capability.indexOf(":");
  const family = (colon === -1 ? capability : capability.slice(0, colon)) as CapabilityFamily;
  if (!CAPABILITIES.includes(family)) throw invalidCapability(capability);
  if (colon === -1) return capability;
  const qualifier = capability.slice(colon + 1);
  if (qualifier.length === 0) throw invalidCapability(capability);
  const fixed = FIXED_QUALIFIERS[family];
  if (fixed !== undefined && !fixed.includes(qualifier)) throw invalidCapability(capability);
  // Domains are stored lower-case by the manifest schema.
  return family === "network" ? `network:${qualifier.toLowerCase()}` : capability;
}

function invalidCapability(capability: string): SandboxError {
  return new SandboxError(ErrorCode.INVALID_ARGUMENT, `Unknown capability "${capability}"`, {
    suggestion: `Use one of ${CAPABILITIES.join(", ")}, optionally qualified: "network:api.example.com", "filesystem:write", "env:HOME", "hostFunctions:kv.get", "clock:frozen", "random:seeded".`,
    context: { capability },
  });
}
