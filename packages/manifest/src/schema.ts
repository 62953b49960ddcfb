import semver from "semver";
import { z } from "zod";
import { MAX_WASM_PAGES, parseDuration, parseSize, WASM_PAGE_SIZE } from "./units.js";

/**
 * The zod source of truth for a plugin manifest. Types are inferred from these schemas and the JSON Schema
 * file is generated from them. Input may use units ("64MiB", "5s"); output is normalised to numbers.
 * Every field here is enforced by some package (see the README's enforcement table): nothing is accepted
 * and ignored.
 */

export const MAX_STRING = 4096;
export const MAX_LIST = 256;

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
  .refine((v) => semver.valid(v) === v, { message: 'must be a semantic version such as "1.2.3"' });

export const SemverRangeSchema = z
  .string()
  .max(1024)
  .refine((v) => semver.validRange(v) !== null, {
    message: 'must be a semver range such as "^1.2.0" or ">=1.0.0 <2.0.0"',
  });

/** A size in bytes: a whole number of bytes, or a string with a unit ("64MiB"). Normalised to bytes. */
export const SizeSchema = z
  .union([z.number().int().nonnegative(), z.string().max(64)])
  .transform((value, ctx) => {
    try {
      return parseSize(value);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: (error as Error).message });
      return z.NEVER;
    }
  });

/** A duration: milliseconds as a number, or a string with a unit ("250ms", "5s"). Normalised to ms. */
export const DurationSchema = z
  .union([z.number().nonnegative(), z.string().max(64)])
  .transform((value, ctx) => {
    try {
      return parseDuration(value);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: (error as Error).message });
      return z.NEVER;
    }
  });

const positive = <T extends z.ZodType<number>>(schema: T, what: string) =>
  schema.refine((v) => v > 0, { message: `${what} must be greater than zero` });

/**
 * Memory: a number is a count of 64 KiB pages, a string is a size ("64MiB") rounded to whole pages.
 * Normalised to pages, 1..65536.
 */
export const MemoryPagesSchema = z
  .union([z.number().int(), z.string().max(64)])
  .transform((value, ctx) => {
    if (typeof value === "number") return value;
    try {
      const bytes = parseSize(value);
      if (bytes % WASM_PAGE_SIZE !== 0) {
        ctx.addIssue({ code: "custom", message: `${value} is not a whole number of 64 KiB pages` });
        return z.NEVER;
      }
      return bytes / WASM_PAGE_SIZE;
    } catch (error) {
      ctx.addIssue({ code: "custom", message: (error as Error).message });
      return z.NEVER;
    }
  })
  .pipe(
    z.number().int().min(1, { message: "memory must be at least 1 page (64 KiB)" }).max(MAX_WASM_PAGES, {
      message: "memory cannot exceed 65536 pages (4 GiB), the WebAssembly 32-bit maximum",
    }),
  );

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

export const ResourceLimitsSchema = z.strictObject({
  /** Linear memory cap: pages (number) or a size ("64MiB"). Enforced by the runtime's instrumentation. */
  memory: MemoryPagesSchema.default(DEFAULT_LIMITS.memory),
  /** The most elements any table may hold. */
  tableElements: z.number().int().min(0).max(10_000_000).default(DEFAULT_LIMITS.tableElements),
  /** Fuel (metered instructions) per call. */
  fuel: positive(z.number().int().max(Number.MAX_SAFE_INTEGER), "fuel").default(DEFAULT_LIMITS.fuel),
  /** Fuel over the instance's lifetime; absent means no lifetime budget. */
  instanceFuel: positive(z.number().int().max(Number.MAX_SAFE_INTEGER), "instanceFuel").optional(),
  /** Wall-clock limit per call (ms or "5s"). */
  timeout: positive(DurationSchema, "timeout").default(DEFAULT_LIMITS.timeout),
  /** Wall-clock limit summed over all calls of one instance (ms or "30s"). */
  totalTimeout: positive(DurationSchema, "totalTimeout").default(DEFAULT_LIMITS.totalTimeout),
  /** Bytes of output one call may produce (json output, command stdout + stderr, streamed items). */
  maxOutput: positive(SizeSchema, "maxOutput").default(DEFAULT_LIMITS.maxOutput),
  /** Bytes of log lines one call may write. */
  maxLog: SizeSchema.default(DEFAULT_LIMITS.maxLog),
  /** Bytes one call may read through WASI (files and stdin). */
  maxReadBytes: SizeSchema.default(DEFAULT_LIMITS.maxReadBytes),
  /** Bytes one call may write through WASI files. */
  maxWriteBytes: SizeSchema.default(DEFAULT_LIMITS.maxWriteBytes),
  /** Files a plugin may hold open at once. */
  maxOpenFiles: z.number().int().min(0).max(65_536).default(DEFAULT_LIMITS.maxOpenFiles),
});

const DOMAIN_PATTERN =
  /^(?:\*\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$|^\d{1,3}(?:\.\d{1,3}){3}$/;

export const NetworkPermissionsSchema = z.strictObject({
  /** Exact hosts ("api.example.com") and one-level-or-deeper wildcards ("*.example.com"). */
  allowedDomains: z
    .array(
      z
        .string()
        .max(253)
        .transform((d) => d.toLowerCase())
        .refine((d) => DOMAIN_PATTERN.test(d), {
          message: 'must be a host name, an IPv4 address, or "*.example.com"',
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
});

const GuestPath = z
  .string()
  .min(1)
  .max(1024)
  .refine((p) => p.startsWith("/"), { message: 'must be an absolute guest path such as "/data"' })
  .refine((p) => !p.split("/").some((segment) => segment === ".."), {
    message: 'must not contain ".." segments',
  })
  .refine((p) => !p.includes("\0"), { message: "must not contain NUL characters" });

export const FilesystemPermissionsSchema = z.strictObject({
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
});

export const ClockPolicySchema = z.enum(["real", "coarse", "frozen"]);
export const RandomPolicySchema = z.enum(["secure", "seeded"]);

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const PermissionsSchema = z.strictObject({
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
});

export const ExecutionCategorySchema = z.enum(["Instant", "Fast", "Standard", "LongRunning", "Streaming"]);
export const EntryPointAbiSchema = z.enum(["numeric", "json", "command"]);

/** A JSON Schema document (checked to be a valid schema by parseManifest). */
export const JsonSchemaDocument = z.record(z.string(), z.unknown());

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

export const PluginManifestSchema = z.strictObject({
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
