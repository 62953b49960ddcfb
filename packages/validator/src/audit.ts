import { DEFAULT_LIMITS, type PluginManifest, WASM_PAGE_SIZE } from "@wasm-sandbox/manifest";
import { PRODUCTION_READY_SCORE, score } from "./audit-rubric.js";
import { IssueCode, type Severity } from "./codes.js";
import { issue, type ManifestPath, type ModuleLocation, type ValidationWarning } from "./issues.js";
import type { ModuleInfo } from "./module-info.js";
import { effectiveLimit, type ValidatorOptions } from "./options.js";
import { checkPlugin } from "./validate-plugin.js";

export interface SecurityFinding {
  severity: Severity;
  code: IssueCode;
  description: string;
  /** What could go wrong because of it. */
  impact: string;
  /** What to change. */
  fix: string;
  location?: ManifestPath | ModuleLocation;
}

export interface SecurityAuditResult {
  /** 0..100, from the rubric in the README: same inputs, same score. */
  securityScore: number;
  issues: SecurityFinding[];
  /** What the sandbox enforces for this plugin, in sentences. */
  mitigations: string[];
  /** No error or critical finding, and a score of at least 70. */
  productionReady: boolean;
}

/** Why each kind of finding matters; findings without an entry get their severity's generic impact. */
const IMPACT: Partial<Record<IssueCode, string>> = {
  [IssueCode.NETWORK_ACCESS]:
    "The plugin can send data off the machine (exfiltration) or reach internal services.",
  [IssueCode.NETWORK_WILDCARD]: "Any subdomain matches, including ones an attacker may control.",
  [IssueCode.FILESYSTEM_READ]: "The plugin can read every file under the granted directories.",
  [IssueCode.FILESYSTEM_WRITE]: "The plugin can modify or fill the granted directories.",
  [IssueCode.HOST_FUNCTIONS]: "Each host function is host code the plugin can drive with arbitrary input.",
  [IssueCode.SECRET_ENV_VAR]:
    "A credential in the plugin's environment can be read and leaked by the plugin.",
  [IssueCode.PRECISE_CLOCK]:
    "A precise clock lets a plugin time operations (side channels) and behave nondeterministically.",
  [IssueCode.GENEROUS_LIMIT]: "A misbehaving plugin can use this much of the host before it is stopped.",
  [IssueCode.SHARED_MEMORY]: "Threads would escape per-call limits; the plugin cannot run here.",
  [IssueCode.START_FUNCTION]: "Code runs during instantiation, before the host calls anything.",
  [IssueCode.MUTABLE_GLOBAL_EXPORT]: "Guest state is visible to and changeable by the host outside the ABI.",
  [IssueCode.MEMORY_UNBOUNDED]: "Growth is bounded only by the runtime's cap.",
  [IssueCode.TABLE_UNBOUNDED]: "Growth is bounded only by the runtime's cap.",
  [IssueCode.HOST_FUNCTION_NOT_PERMITTED]: "Linking fails: the plugin cannot be instantiated.",
  [IssueCode.UNKNOWN_IMPORT_MODULE]: "Linking fails: the plugin cannot be instantiated.",
  [IssueCode.UNKNOWN_IMPORT]: "Linking fails: the plugin cannot be instantiated.",
  [IssueCode.IMPORT_SIGNATURE]: "Linking fails: the plugin cannot be instantiated.",
  [IssueCode.WASI_PERMISSION]:
    "None beyond failed calls: the sandbox refuses what the permissions do not grant.",
};
const GENERIC_IMPACT: Record<Severity, string> = {
  critical: "The plugin cannot be trusted to load or run.",
  error: "The plugin will fail to load or to run as declared.",
  warning: "Works, but weakens isolation or predictability.",
  info: "No risk by itself; shown for completeness.",
};

const SECRET_NAME = /SECRET|TOKEN|PASS(WORD|WD)?|API_?KEY|PRIVATE|CREDENTIAL|AUTH/i;

/** Limits far above the defaults (thresholds in the README's rubric). */
const GENEROUS: {
  key: "memory" | "fuel" | "timeout" | "totalTimeout" | "maxOutput";
  above: number;
  unit: string;
}[] = [
  { key: "memory", above: 4096, unit: "pages" },
  { key: "fuel", above: DEFAULT_LIMITS.fuel * 1000, unit: "fuel" },
  { key: "timeout", above: 60_000, unit: "ms" },
  { key: "totalTimeout", above: 600_000, unit: "ms" },
  { key: "maxOutput", above: 64 * 1024 * 1024, unit: "bytes" },
];

function permissionFindings(manifest: PluginManifest): ValidationWarning[] {
  const out: ValidationWarning[] = [];
  const p = manifest.permissions;
  if (!p.network.denyAll) {
    const where = p.network.loopbackOnly
      ? "loopback addresses only"
      : `${p.network.allowedDomains.length} domain(s)`;
    out.push(
      issue(
        p.network.loopbackOnly ? "info" : "warning",
        IssueCode.NETWORK_ACCESS,
        `Network access is enabled (${where}).`,
        ["permissions", "network", "denyAll"],
        "Grant network access only if the plugin needs it; list exact hosts and ports.",
      ),
    );
    p.network.allowedDomains.forEach((d, i) => {
      if (d.startsWith("*.")) {
        out.push(
          issue(
            "warning",
            IssueCode.NETWORK_WILDCARD,
            `Allowed domain "${d}" is a wildcard.`,
            ["permissions", "network", "allowedDomains", i],
            "List the exact host names the plugin calls.",
          ),
        );
      }
    });
  }
  const fs = p.filesystem;
  const filesystemGrant = (
    key: "readPaths" | "writePaths",
    severity: Severity,
    code: IssueCode,
    verb: string,
    suggestion: string,
  ) => {
    const paths = fs[key];
    if (fs.denyAll || paths.length === 0) return;
    const message = `The plugin may ${verb} ${paths.join(", ")}.`;
    out.push(issue(severity, code, message, ["permissions", "filesystem", key], suggestion));
  };
  filesystemGrant(
    "readPaths",
    "info",
    IssueCode.FILESYSTEM_READ,
    "read",
    "Grant the narrowest directories the plugin needs.",
  );
  filesystemGrant(
    "writePaths",
    "warning",
    IssueCode.FILESYSTEM_WRITE,
    "write",
    "Prefer tempDirAccess (a private in-memory /tmp) unless results must persist.",
  );
  if (p.hostFunctions.length > 0) {
    out.push(
      issue(
        "info",
        IssueCode.HOST_FUNCTIONS,
        `${p.hostFunctions.length} host function(s) are exposed: ${p.hostFunctions.join(", ")}.`,
        ["permissions", "hostFunctions"],
        "Expose only what the plugin calls, and validate their inputs in the host.",
      ),
    );
  }
  p.envVars.forEach((name, i) => {
    if (SECRET_NAME.test(name)) {
      out.push(
        issue(
          "warning",
          IssueCode.SECRET_ENV_VAR,
          `Environment variable ${name} looks like a secret.`,
          ["permissions", "envVars", i],
          "Pass credentials through a host function that uses them on the plugin's behalf, not as raw values.",
        ),
      );
    }
  });
  if (p.clock === "real") {
    out.push(
      issue(
        "info",
        IssueCode.PRECISE_CLOCK,
        "The plugin sees the real, precise clock.",
        ["permissions", "clock"],
        'Use clock: "coarse" (or "frozen" for deterministic runs) unless the plugin needs precise time.',
      ),
    );
  }
  for (const g of GENEROUS) {
    const value = manifest.limits[g.key];
    if (value > g.above) {
      out.push(
        issue(
          "warning",
          IssueCode.GENEROUS_LIMIT,
          `limits.${g.key} is ${value} ${g.unit}, above ${g.above} ${g.unit}.`,
          ["limits", g.key],
          `Lower limits.${g.key} to what the plugin really needs (measure it with benchmark()).`,
        ),
      );
    }
  }
  return out;
}

const MiB = (bytes: number) => `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MiB`;

function mitigations(
  manifest: PluginManifest,
  info: ModuleInfo,
  options: ValidatorOptions | undefined,
): string[] {
  const l = manifest.limits;
  const p = manifest.permissions;
  const pages = effectiveLimit(l, "memory", options);
  const out = [
    `Linear memory is capped at ${pages} pages (${MiB(pages * WASM_PAGE_SIZE)}): every memory's maximum is lowered to the cap, and growth past it fails.`,
    `Tables are capped at ${effectiveLimit(l, "tableElements", options)} elements.`,
    `Fuel metering stops a call after ${effectiveLimit(l, "fuel", options)} units of work${l.instanceFuel !== undefined ? `, and the instance after ${l.instanceFuel}` : ""}.`,
    `Wall-clock limits: ${effectiveLimit(l, "timeout", options)} ms per call, ${effectiveLimit(l, "totalTimeout", options)} ms per instance.`,
    `Output is capped at ${l.maxOutput} bytes and logs at ${l.maxLog} bytes per call.`,
    "Imports are linked only from the guest ABI, WASI and listed host functions; anything else is refused at link time.",
    "After a trap or an abort the instance is discarded; the next call gets a fresh one.",
    p.network.denyAll
      ? "No network access (permissions.network.denyAll)."
      : `Network access is limited to ${p.network.loopbackOnly ? "loopback addresses" : "the listed domains"} on ports ${(p.network.allowedPorts.length > 0 ? p.network.allowedPorts : [80, 443]).join(", ")}, at most ${p.network.maxConnections} connection(s).`,
    p.filesystem.denyAll
      ? "No filesystem access (permissions.filesystem.denyAll)."
      : `Filesystem access is confined to the granted directories; files are capped at ${p.filesystem.maxFileSize} bytes, reads at ${l.maxReadBytes} and writes at ${l.maxWriteBytes} bytes per call, ${l.maxOpenFiles} open files.`,
    "No process spawning and no threads.",
  ];
  if (p.clock !== "real") out.push(`The clock is ${p.clock}, which blunts timing side channels.`);
  if (p.random === "seeded") out.push("Randomness is a seeded, reproducible stream.");
  if (info.memories.some((m) => m.max === undefined)) {
    out.push("Memories declared without a maximum are bounded by the memory cap above.");
  }
  return out;
}

const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, error: 1, warning: 2, info: 3 };

/**
 * A security review of a plugin: the validatePlugin findings (module validity errors become critical)
 * plus what the permissions grant, each with its impact and fix; a deterministic 0..100 score from the
 * README's rubric; the mitigations the sandbox applies; and whether it is production ready.
 */
export function securityAudit(
  manifest: unknown,
  bytes: unknown,
  options?: ValidatorOptions,
): SecurityAuditResult {
  const { issues, validity, info, manifest: parsed } = checkPlugin(manifest, bytes, options);
  // A module the engine rejects cannot run at all: the engine's findings are critical.
  const findings: ValidationWarning[] = issues.map((i) =>
    validity.includes(i) && i.severity === "error" ? { ...i, severity: "critical" } : i,
  );
  const mitigationList = parsed ? mitigations(parsed, info, options) : [];
  if (parsed) findings.push(...permissionFindings(parsed));
  const sorted = findings
    .map((f) => {
      const out: SecurityFinding = {
        severity: f.severity,
        code: f.code,
        description: f.message,
        impact: IMPACT[f.code] ?? GENERIC_IMPACT[f.severity],
        fix: f.suggestion ?? "See the description.",
      };
      if (f.location !== undefined) out.location = f.location;
      return out;
    })
    .sort(
      (a, b) =>
        SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
        a.code.localeCompare(b.code) ||
        a.description.localeCompare(b.description),
    );
  const securityScore = score(sorted);
  const blocking = sorted.some((f) => f.severity === "error" || f.severity === "critical");
  return {
    securityScore,
    issues: sorted,
    mitigations: mitigationList,
    productionReady: !blocking && securityScore >= PRODUCTION_READY_SCORE,
  };
}
