import semver from "semver";
import { z } from "zod";
import { ManifestIssueCode } from "./issue-codes.js";
import { checkJsonSchema } from "./json-schema-check.js";
import { isDomainPattern, isLoopbackHost } from "./network-policy.js";
import { MAX_WASM_PAGES, parseDuration, parseSize, WASM_PAGE_SIZE } from "./units.js";

/**
 * The zod source of truth for a plugin manifest. Types are inferred from these schemas and the JSON Schema
 * file is generated from them. Input may use units ("64MiB", "5s"); output is normalised to numbers.
 * Every field here is enforced by some package (see the README's enforcement table): nothing is accepted
 * and ignored.
 */

export const MAX_STRING = 4096;
export const MAX_LIST = 256;

/** The longest duration a limit may have: the largest delay a Node.js timer can wait (about 24.8 days). */
export const MAX_DURATION_MS = 2_147_483_647;

/**
 * Zod issue params carrying the stable ManifestIssueCode (and a suggestion) of a custom check, read by
 * parseManifest when it turns zod issues into manifest issues.
 */
const issue = (code: ManifestIssueCode, suggestion?: string) => ({
  params: suggestion === undefined ? { code } : { code, suggestion },
});

const text = (max = MAX_STRING) => z.string().max(max);
const nonEmpty = (max = 256) => z.string().trim().min(1).max(max);

const SLUG = "[a-z0-9]+(?:[-_.][a-z0-9]+)*";
export const PLUGIN_ID_PATTERN = new RegExp(`^${SLUG}(?:/${SLUG})?$`);

export const PluginIdSchema = z.string().max(128).regex(PLUGIN_ID_PATTERN, {
  message: 'must be lowercase letters, digits, "-", "_" or ".", optionally namespaced like "acme/text-tools"',
});

export const SemverSchema = z
  .string()
  .max(256)
  // semver.valid tolerates a "v"/"=" prefix and drops build metadata; a manifest states the version exactly.
  .refine((v) => /^\d/.test(v) && v.trim() === v && semver.valid(v) !== null, {
    message: 'must be a semantic version such as "1.2.3"',
    ...issue(ManifestIssueCode.INVALID_SEMVER, 'Write MAJOR.MINOR.PATCH without a "v" prefix, e.g. "1.2.3".'),
  });

export const SemverRangeSchema = z
  .string()
  .max(1024)
  .refine((v) => semver.validRange(v) !== null, {
    message: 'must be a semver range such as "^1.2.0" or ">=1.0.0 <2.0.0"',
    ...issue(
      ManifestIssueCode.INVALID_RANGE,
      'Use npm semver range syntax: "^1.2.0", "~1.2", ">=1.0.0 <2.0.0", "*".',
    ),
  });

/** Adds a custom zod issue at `path` carrying a ManifestIssueCode and its suggestion. */
function addCodedIssue(
  ctx: z.RefinementCtx,
  input: unknown,
  path: (string | number)[],
  message: string,
  code: ManifestIssueCode,
  suggestion: string,
): void {
  ctx.addIssue({ code: "custom", input, path, message, ...issue(code, suggestion) });
}

type UnitContext = { addIssue: (issue: z.core.$ZodRawIssue) => void; value: unknown };

function unitIssue(ctx: UnitContext, error: unknown): never {
  ctx.addIssue({
    code: "custom",
    input: ctx.value,
    message: (error as Error).message,
    ...issue(ManifestIssueCode.INVALID_UNIT, (error as { suggestion?: string }).suggestion),
  });
  return z.NEVER;
}

function rangeIssue(ctx: UnitContext, message: string): never {
  ctx.addIssue({ code: "custom", input: ctx.value, message, ...issue(ManifestIssueCode.OUT_OF_RANGE) });
  return z.NEVER;
}

/**
 * A number as it is, or a string with a unit read by `parse` (a bad one is an INVALID_UNIT issue) whose value
 * `check` may refuse with an OUT_OF_RANGE message.
 */
function unitSchema(
  number: z.ZodNumber,
  parse: (text: string) => number,
  check: (value: number) => string | undefined,
) {
  return z.union([number, z.string().max(64)]).transform((value, ctx) => {
    if (typeof value === "number") return value;
    let parsed: number;
    try {
      parsed = parse(value);
    } catch (error) {
      return unitIssue(ctx, error);
    }
    const problem = check(parsed);
    return problem === undefined ? parsed : rangeIssue(ctx, problem);
  });
}

/**
 * A size in bytes: a whole number of bytes, or a string with a unit ("64MiB"). Normalised to bytes.
 * `min` 1 makes zero (in any spelling) an OUT_OF_RANGE issue.
 */
function sizeSchema(min: 0 | 1, what = "size") {
  const message = `${what} must be ${min === 0 ? "zero or more" : "greater than zero"} bytes`;
  return unitSchema(
    z.number().int().min(min, { message }).max(Number.MAX_SAFE_INTEGER),
    parseSize,
    (bytes) => (bytes < min ? message : undefined),
  );
}

/**
 * A duration: milliseconds as a number, or a string with a unit ("250ms", "5s"). Normalised to ms, at most
 * MAX_DURATION_MS. `positive` makes zero (in any spelling) an OUT_OF_RANGE issue.
 */
function durationSchema(positive: boolean, what = "duration") {
  const low = positive
    ? z.number().gt(0, { message: `${what} must be greater than zero` })
    : z.number().min(0, { message: `${what} must not be negative` });
  const tooLong = `${what} must be at most ${MAX_DURATION_MS} ms (about 24.8 days)`;
  return unitSchema(low.max(MAX_DURATION_MS, { message: tooLong }), parseDuration, (ms) => {
    if (positive && ms <= 0) return `${what} must be greater than zero`;
    return ms > MAX_DURATION_MS ? tooLong : undefined;
  });
}

export const SizeSchema = sizeSchema(0);
export const DurationSchema = durationSchema(false);

const PAGES_RANGE = "memory must be 1 to 65536 pages (64 KiB to 4 GiB, the WebAssembly 32-bit maximum)";

/**
 * Memory: a number is a count of 64 KiB pages, a string is a size ("64MiB") that must be whole pages.
 * Normalised to pages, 1..65536.
 */
export const MemoryPagesSchema = z
  .union([
    z.number().int().min(1, { message: PAGES_RANGE }).max(MAX_WASM_PAGES, { message: PAGES_RANGE }),
    z.string().max(64),
  ])
  .transform((value, ctx) => {
    if (typeof value === "number") return value;
    let bytes: number;
    try {
      bytes = parseSize(value);
    } catch (error) {
      return unitIssue(ctx, error);
    }
    if (bytes % WASM_PAGE_SIZE !== 0) {
      ctx.addIssue({
        code: "custom",
        input: value,
        message: `${value} is not a whole number of 64 KiB pages`,
        ...issue(ManifestIssueCode.INVALID_UNIT, 'Use a multiple of 64KiB, such as "1MiB" or "64MiB".'),
      });
      return z.NEVER;
    }
    const pages = bytes / WASM_PAGE_SIZE;
    return pages < 1 || pages > MAX_WASM_PAGES ? rangeIssue(ctx, PAGES_RANGE) : pages;
  });

/** The limits of the original design: 10 MiB memory, 10,000,000 fuel, 5 s per call, 30 s in total. */
export const DEFAULT_LIMITS = Object.freeze({
  memory: 160,
  tableElements: 10_000,
  fuel: 10_000_000,
  timeout: 5_000,
  totalTimeout: 30_000,
  maxOutput: 1024 * 1024,
  maxLog: 64 * 1024,
  maxReadBytes: 16 * 1024 * 1024,
  maxWriteBytes: 16 * 1024 * 1024,
  maxOpenFiles: 32,
});

const budget = (what: string) =>
  z
    .number()
    .int()
    .min(1, { message: `${what} must be greater than zero` })
    .max(Number.MAX_SAFE_INTEGER, { message: `${what} must be at most ${Number.MAX_SAFE_INTEGER}` });

export const ResourceLimitsSchema = z.strictObject({
  /** Linear memory cap: pages (number) or a size ("64MiB"). Enforced by the runtime's instrumentation. */
  memory: MemoryPagesSchema.default(DEFAULT_LIMITS.memory),
  /** The most elements any table may hold. */
  tableElements: z.number().int().min(0).max(10_000_000).default(DEFAULT_LIMITS.tableElements),
  /** Fuel (metered instructions) per call. */
  fuel: budget("fuel").default(DEFAULT_LIMITS.fuel),
  /** Fuel over the instance's lifetime; absent means no lifetime budget. */
  instanceFuel: budget("instanceFuel").optional(),
  /** Wall-clock limit per call (ms or "5s"). */
  timeout: durationSchema(true, "timeout").default(DEFAULT_LIMITS.timeout),
  /** Wall-clock limit summed over all calls of one instance (ms or "30s"). */
  totalTimeout: durationSchema(true, "totalTimeout").default(DEFAULT_LIMITS.totalTimeout),
  /** Bytes of output one call may produce (json output, command stdout + stderr, streamed items). */
  maxOutput: sizeSchema(1, "maxOutput").default(DEFAULT_LIMITS.maxOutput),
  /** Bytes of log lines one call may write. */
  maxLog: SizeSchema.default(DEFAULT_LIMITS.maxLog),
  /** Bytes one call may read through WASI (files and stdin). */
  maxReadBytes: SizeSchema.default(DEFAULT_LIMITS.maxReadBytes),
  /** Bytes one call may write through WASI files. */
  maxWriteBytes: SizeSchema.default(DEFAULT_LIMITS.maxWriteBytes),
  /** Files a plugin may hold open at once. */
  maxOpenFiles: z.number().int().min(0).max(65_536).default(DEFAULT_LIMITS.maxOpenFiles),
});

/**
 * Under `denyAll: true` every grant listed would be ignored; nothing may be accepted and ignored, so each
 * present grant (a non-empty list, or `true`) is a CONFLICTING_PERMISSIONS issue.
 */
function refuseIgnoredGrants<T extends { denyAll: boolean }>(
  ctx: z.RefinementCtx,
  scope: "network" | "filesystem",
  value: T,
  grants: readonly (keyof T & string)[],
): void {
  if (!value.denyAll) return;
  for (const key of grants) {
    const grant = value[key];
    if (Array.isArray(grant) ? grant.length === 0 : grant !== true) continue;
    addCodedIssue(
      ctx,
      value,
      [key],
      `${scope}.denyAll is true, so ${key} would be ignored`,
      ManifestIssueCode.CONFLICTING_PERMISSIONS,
      `Set ${scope}.denyAll to false to grant this access, or remove ${key}.`,
    );
  }
}

export const NetworkPermissionsSchema = z
  .strictObject({
    /** Exact hosts ("api.example.com") and one-level-or-deeper wildcards ("*.example.com"). */
    allowedDomains: z
      .array(
        z
          .string()
          .max(253)
          .transform((d) => d.toLowerCase())
          .refine(isDomainPattern, {
            message: 'must be a host name, an IPv4 address, or a wildcard like "*.example.com" (not "*.com")',
            ...issue(
              ManifestIssueCode.INVALID_FORMAT,
              'Write a bare host such as "api.example.com": no scheme, port or path.',
            ),
          }),
      )
      .max(MAX_LIST)
      .default([]),
    /** Ports that may be reached; empty means 80 and 443 only. */
    allowedPorts: z.array(z.number().int().min(1).max(65_535)).max(MAX_LIST).default([]),
    /** Connections open at once. */
    maxConnections: z.number().int().min(0).max(1024).default(4),
    /** When true (the default) no network access is possible whatever else is listed. */
    denyAll: z.boolean().default(true),
    /** Only loopback addresses may be reached. */
    loopbackOnly: z.boolean().default(false),
  })
  .superRefine((network, ctx) => {
    refuseIgnoredGrants(ctx, "network", network, ["allowedDomains", "allowedPorts", "loopbackOnly"]);
    if (!network.denyAll && network.loopbackOnly) {
      network.allowedDomains.forEach((domain, i) => {
        if (isLoopbackHost(domain)) return;
        addCodedIssue(
          ctx,
          domain,
          ["allowedDomains", i],
          `"${domain}" is not a loopback host, but loopbackOnly is true`,
          ManifestIssueCode.CONFLICTING_PERMISSIONS,
          "Remove the domain, or set loopbackOnly to false to reach hosts beyond this machine.",
        );
      });
    }
  });

const GuestPath = z
  .string()
  .min(1)
  .max(1024)
  .refine((p) => p.startsWith("/"), {
    message: 'must be an absolute guest path such as "/data"',
    ...issue(ManifestIssueCode.INVALID_PATH, 'Start guest paths with "/", e.g. "/data".'),
  })
  .refine((p) => !p.split(/[\\/]/).some((segment) => segment === ".."), {
    message: 'must not contain ".." segments',
    ...issue(
      ManifestIssueCode.PATH_TRAVERSAL,
      'Name the directory itself; ".." could escape the granted tree.',
    ),
  })
  .refine((p) => !p.includes("\0"), {
    message: "must not contain NUL characters",
    ...issue(ManifestIssueCode.INVALID_PATH),
  });

/** A guest path as segments, without empty and "." segments: "/data/./x/" and "/data/x" are one path. */
const segments = (path: string) => path.split("/").filter((s) => s !== "" && s !== ".");

/** Is `inner` equal to `outer` or inside it (by whole segments: "/database" is not inside "/data")? */
export function isGuestPathWithin(inner: string, outer: string): boolean {
  const a = segments(inner);
  const b = segments(outer);
  return b.length <= a.length && b.every((s, i) => a[i] === s);
}

export const FilesystemPermissionsSchema = z
  .strictObject({
    /** Guest directories the plugin may read (each mapped to a host directory by the embedder). */
    readPaths: z.array(GuestPath).max(MAX_LIST).default([]),
    /** Guest directories the plugin may write; each must also be readable. */
    writePaths: z.array(GuestPath).max(MAX_LIST).default([]),
    /** A private in-memory /tmp. */
    tempDirAccess: z.boolean().default(false),
    /** Largest file the plugin may create or grow. */
    maxFileSize: SizeSchema.default(10 * 1024 * 1024),
    /** When true (the default) no filesystem access is possible whatever else is listed. */
    denyAll: z.boolean().default(true),
  })
  .superRefine((fs, ctx) => {
    refuseIgnoredGrants(ctx, "filesystem", fs, ["readPaths", "writePaths", "tempDirAccess"]);
    fs.writePaths.forEach((path, i) => {
      if (fs.readPaths.some((readable) => isGuestPathWithin(path, readable))) return;
      addCodedIssue(
        ctx,
        path,
        ["writePaths", i],
        `write path "${path}" is not inside any read path`,
        ManifestIssueCode.WRITE_NOT_READABLE,
        `Add "${path}" (or a parent directory) to readPaths.`,
      );
    });
  });

export const ClockPolicySchema = z.enum(["real", "coarse", "frozen"]);
export const RandomPolicySchema = z.enum(["secure", "seeded"]);

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const PermissionsSchema = z
  .strictObject({
    network: NetworkPermissionsSchema.prefault({}),
    filesystem: FilesystemPermissionsSchema.prefault({}),
    /** Names of environment variables the plugin may see (values come from the embedder). */
    envVars: z
      .array(z.string().max(256).regex(ENV_NAME, { message: "must be an environment variable name" }))
      .max(MAX_LIST)
      .default([]),
    /** Names of host functions the embedder may expose to this plugin. */
    hostFunctions: z
      .array(
        z
          .string()
          .min(1)
          .max(256)
          .regex(/^[A-Za-z_][A-Za-z0-9_.:-]*$/, { message: "must be a host function name" }),
      )
      .max(MAX_LIST)
      .default([]),
    /** real: the host clock; coarse: rounded to 100 ms; frozen: a fixed instant (deterministic runs). */
    clock: ClockPolicySchema.default("real"),
    /** secure: crypto-random bytes; seeded: a deterministic stream from `randomSeed`. */
    random: RandomPolicySchema.default("secure"),
    /** Seed for `random: "seeded"`. */
    randomSeed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
    /** Threads the plugin may use; 0 forbids shared memory and threads. */
    maxThreads: z
      .number()
      .int()
      .min(0)
      .max(0, {
        message:
          "threads are not supported yet: the runtime cannot yet enforce limits across guest threads, so only 0 is accepted",
      })
      .default(0),
    /** Process spawning: WebAssembly has no such capability in this sandbox, so only `false` is accepted. */
    processSpawn: z
      .literal(false, { message: "process spawning is never granted: no sandbox runtime can enforce it" })
      .default(false),
  })
  .superRefine((permissions, ctx) => {
    if (permissions.random === "seeded" && permissions.randomSeed === undefined) {
      addCodedIssue(
        ctx,
        permissions,
        ["randomSeed"],
        'random "seeded" needs a randomSeed',
        ManifestIssueCode.REQUIRED,
        'Add randomSeed (a whole number), or use random: "secure".',
      );
    }
    if (permissions.random !== "seeded" && permissions.randomSeed !== undefined) {
      addCodedIssue(
        ctx,
        permissions,
        ["randomSeed"],
        `randomSeed would be ignored because random is "${permissions.random}"`,
        ManifestIssueCode.CONFLICTING_PERMISSIONS,
        'Set random: "seeded", or remove randomSeed.',
      );
    }
  });

export const ExecutionCategorySchema = z.enum(["Instant", "Fast", "Standard", "LongRunning", "Streaming"]);
export const EntryPointAbiSchema = z.enum(["numeric", "json", "command"]);

/** A JSON Schema document, checked against its dialect's meta-schema (draft-07 by default, or 2020-12). */
export const JsonSchemaDocument = z.record(z.string(), z.unknown()).superRefine((schema, ctx) => {
  const problem = checkJsonSchema(schema);
  if (problem === undefined) return;
  ctx.addIssue({
    code: "custom",
    input: schema,
    message: `not a valid JSON Schema: ${problem}`,
    ...issue(
      ManifestIssueCode.INVALID_JSON_SCHEMA,
      'Fix the schema, or declare its dialect with "$schema" (draft-07 or 2020-12).',
    ),
  });
});

export const EntryPointSchema = z.strictObject({
  /** The exported function (or `_start` for command entries). */
  functionName: z
    .string()
    .min(1)
    .max(256)
    .regex(/^[^\0\s]+$/, { message: "must be an export name without whitespace" }),
  displayName: text(256).default(""),
  description: text().default(""),
  inputSchema: JsonSchemaDocument.optional(),
  outputSchema: JsonSchemaDocument.optional(),
  supportsStreaming: z.boolean().default(false),
  executionCategory: ExecutionCategorySchema.default("Standard"),
  abi: EntryPointAbiSchema.optional(),
});

export const DependencyTypeSchema = z.enum(["Plugin", "System", "Service"]);

export const DependencySchema = z.strictObject({
  name: PluginIdSchema,
  versionRequirement: SemverRangeSchema,
  optional: z.boolean().default(false),
  dependencyType: DependencyTypeSchema.default("Plugin"),
});

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export const JsonValueSchema: z.ZodType<Json> = z.lazy(() =>
  z.union([
    z.string().max(MAX_STRING * 16),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(JsonValueSchema).max(10_000),
    z.record(z.string().max(256), JsonValueSchema),
  ]),
);

/** [index, index of the first occurrence] for every value that occurred before. */
function repeats(values: readonly string[]): [number, number][] {
  const firstIndex = new Map<string, number>();
  const found: [number, number][] = [];
  values.forEach((value, i) => {
    const first = firstIndex.get(value);
    if (first === undefined) firstIndex.set(value, i);
    else found.push([i, first]);
  });
  return found;
}

export const PluginManifestSchema = z
  .strictObject({
    id: PluginIdSchema,
    name: nonEmpty(256),
    version: SemverSchema,
    description: text().default(""),
    author: text(256).optional(),
    /** An SPDX license expression ("MIT", "Apache-2.0 OR MIT"). */
    license: z.string().max(256).optional(),
    repository: z
      .url({
        protocol: /^(https?|git|ssh|git\+https|git\+ssh)$/,
        message: "must be a URL (https://, git://, ssh://)",
      })
      .max(2048)
      .optional(),
    /** Free-form words for search. */
    tags: z.array(z.string().trim().min(1).max(64)).max(64).default([]),
    /** The sandbox versions this plugin works with. */
    minSandboxVersion: SemverRangeSchema.default("*"),
    permissions: PermissionsSchema.prefault({}),
    entryPoints: z
      .array(EntryPointSchema)
      .min(1, { message: "a plugin must declare at least one entry point" })
      .max(MAX_LIST),
    dependencies: z.array(DependencySchema).max(MAX_LIST).default([]),
    metadata: z.record(z.string().max(256), JsonValueSchema).default({}),
    limits: ResourceLimitsSchema.prefault({}),
  })
  .meta({
    title: "wasm-sandbox plugin manifest",
    description: "A WebAssembly plugin's identity, entry points, permissions, limits and dependencies.",
  })
  .superRefine((manifest, ctx) => {
    const report = (path: (string | number)[], message: string, code: ManifestIssueCode, hint: string) =>
      addCodedIssue(ctx, manifest, path, message, code, hint);
    for (const [i, first] of repeats(manifest.entryPoints.map((entry) => entry.functionName))) {
      const name = manifest.entryPoints[i]!.functionName;
      report(
        ["entryPoints", i, "functionName"],
        `entry point "${name}" is declared twice (also at entryPoints.${first})`,
        ManifestIssueCode.DUPLICATE_ENTRY_POINT,
        "Declare each exported function once.",
      );
    }
    for (const [i, first] of repeats(manifest.dependencies.map((dependency) => dependency.name))) {
      const name = manifest.dependencies[i]!.name;
      report(
        ["dependencies", i, "name"],
        `dependency "${name}" is listed twice (also at dependencies.${first})`,
        ManifestIssueCode.DUPLICATE_DEPENDENCY,
        "List each dependency once, with one version range that covers every need.",
      );
    }
    manifest.dependencies.forEach((dependency, i) => {
      if (dependency.name !== manifest.id) return;
      report(
        ["dependencies", i, "name"],
        `plugin "${manifest.id}" depends on itself`,
        ManifestIssueCode.SELF_DEPENDENCY,
        "Remove the dependency on the plugin itself.",
      );
    });
  });

export type PluginManifest = z.output<typeof PluginManifestSchema>;
export type PluginManifestInput = z.input<typeof PluginManifestSchema>;
export type EntryPoint = z.output<typeof EntryPointSchema>;
export type EntryPointAbi = z.output<typeof EntryPointAbiSchema>;
export type ExecutionCategory = z.output<typeof ExecutionCategorySchema>;
export type Dependency = z.output<typeof DependencySchema>;
export type DependencyType = z.output<typeof DependencyTypeSchema>;
export type Permissions = z.output<typeof PermissionsSchema>;
export type NetworkPermissions = z.output<typeof NetworkPermissionsSchema>;
export type FilesystemPermissions = z.output<typeof FilesystemPermissionsSchema>;
export type ClockPolicy = z.output<typeof ClockPolicySchema>;
export type RandomPolicy = z.output<typeof RandomPolicySchema>;
export type ResourceLimits = z.output<typeof ResourceLimitsSchema>;
export type ResourceLimitsInput = z.input<typeof ResourceLimitsSchema>;
