import type { Issue } from "./errors.js";
import { ManifestIssueCode } from "./issue-codes.js";
import {
  DependencySchema,
  EntryPointSchema,
  FilesystemPermissionsSchema,
  NetworkPermissionsSchema,
  PermissionsSchema,
  PluginManifestSchema,
  ResourceLimitsSchema,
} from "./schema.js";
import { closestMatch } from "./suggest.js";

/**
 * One level of the manifest structure: its canonical (camelCase) keys, legacy aliases, and which keys hold
 * nested structure. Everything else (metadata, inputSchema, outputSchema, leaf values) is copied verbatim,
 * so keys inside user data are never renamed.
 */
interface Level {
  keys: ReadonlySet<string>;
  aliases: Readonly<Record<string, string>>;
  objects: Readonly<Record<string, Level>>;
  lists: Readonly<Record<string, Level>>;
}

const level = (
  shape: Record<string, unknown>,
  nested: {
    aliases?: Record<string, string>;
    objects?: Record<string, Level>;
    lists?: Record<string, Level>;
  } = {},
): Level => ({
  keys: new Set(Object.keys(shape)),
  aliases: nested.aliases ?? {},
  objects: nested.objects ?? {},
  lists: nested.lists ?? {},
});

/** Limit names of the original design (and their camelCase forms) that map to one canonical key each. */
export const LIMIT_ALIASES: Readonly<Record<string, string>> = Object.freeze({
  max_memory_pages: "memory",
  maxMemoryPages: "memory",
  max_fuel: "fuel",
  maxFuel: "fuel",
  max_execution_time: "timeout",
  maxExecutionTime: "timeout",
  max_execution_time_ms: "timeout",
  maxExecutionTimeMs: "timeout",
  max_total_execution_time: "totalTimeout",
  maxTotalExecutionTime: "totalTimeout",
  max_table_elements: "tableElements",
  maxTableElements: "tableElements",
  max_output_bytes: "maxOutput",
  maxOutputBytes: "maxOutput",
  max_log_bytes: "maxLog",
  maxLogBytes: "maxLog",
  max_instance_fuel: "instanceFuel",
  maxInstanceFuel: "instanceFuel",
});

const ENTRY_POINT = level(EntryPointSchema.shape);
const DEPENDENCY = level(DependencySchema.shape);
const LIMITS = level(ResourceLimitsSchema.shape, { aliases: LIMIT_ALIASES });
const PERMISSIONS = level(PermissionsSchema.shape, {
  objects: {
    network: level(NetworkPermissionsSchema.shape),
    filesystem: level(FilesystemPermissionsSchema.shape),
  },
});
const MANIFEST = level(PluginManifestSchema.shape, {
  objects: { permissions: PERMISSIONS, limits: LIMITS },
  lists: { entryPoints: ENTRY_POINT, dependencies: DEPENDENCY },
});

const SNAKE = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$/;
const snakeToCamel = (key: string) => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const camelToSnake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

type Path = (string | number)[];

export interface NormalizedKeys {
  value: unknown;
  issues: Issue[];
  warnings: Issue[];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Rewrites the manifest-structure keys of `input` (already checked by checkBounds) to camelCase: snake_case
 * spellings and limit aliases are accepted, a key given twice is CONFLICTING_KEYS, an unknown key is
 * UNKNOWN_KEY with the closest known key as suggestion. Returns a fresh copy; the input is not modified.
 */
export function normalizeKeys(input: unknown): NormalizedKeys {
  const issues: Issue[] = [];
  const warnings: Issue[] = [];

  const visit = (value: unknown, at: Level, path: Path): unknown => {
    if (!isRecord(value)) return value;
    const out: Record<string, unknown> = {};
    const spelledAs = new Map<string, string>();
    for (const key of Object.keys(value)) {
      let canonical: string | undefined;
      if (at.keys.has(key)) canonical = key;
      else if (SNAKE.test(key) && at.keys.has(snakeToCamel(key))) canonical = snakeToCamel(key);
      else if (Object.hasOwn(at.aliases, key)) {
        canonical = at.aliases[key]!;
        warnings.push({
          code: ManifestIssueCode.ALIASED_KEY,
          path: [...path, key],
          message: `"${key}" is an alias of "${canonical}"`,
          suggestion: `Write "${canonical}" instead of "${key}".`,
        });
      }
      if (canonical === undefined) {
        const known = [...at.keys];
        // closestMatch ignores case and "_", so snake_case typos match camelCase keys too.
        const guess = closestMatch(key, known);
        issues.push({
          code: ManifestIssueCode.UNKNOWN_KEY,
          path: [...path, key],
          message: `unknown key "${key}"`,
          suggestion: guess ? `Did you mean ${guess}?` : `Known keys here: ${known.join(", ")}.`,
        });
        continue;
      }
      const earlier = spelledAs.get(canonical);
      if (earlier !== undefined) {
        issues.push({
          code: ManifestIssueCode.CONFLICTING_KEYS,
          path: [...path, canonical],
          message: `"${canonical}" is given twice, as "${earlier}" and as "${key}"`,
          suggestion: `Keep one spelling; "${canonical}" is the canonical one.`,
        });
        continue;
      }
      spelledAs.set(canonical, key);
      const child = value[key];
      const objectLevel = at.objects[canonical];
      const listLevel = at.lists[canonical];
      if (objectLevel) out[canonical] = visit(child, objectLevel, [...path, canonical]);
      else if (listLevel && Array.isArray(child))
        out[canonical] = child.map((item, i) => visit(item, listLevel, [...path, canonical, i]));
      else out[canonical] = child;
    }
    return out;
  };

  return { value: visit(input, MANIFEST, []), issues, warnings };
}

/**
 * The snake_case form of a manifest (the JSON of the original design), for tools that still read it.
 * Only structure keys are converted; metadata and JSON Schemas are copied as they are.
 */
export function toSnakeCaseManifest(manifest: unknown): unknown {
  const visit = (value: unknown, at: Level): unknown => {
    if (!isRecord(value)) return value;
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      const objectLevel = at.objects[key];
      const listLevel = at.lists[key];
      out[camelToSnake(key)] = objectLevel
        ? visit(child, objectLevel)
        : listLevel && Array.isArray(child)
          ? child.map((item) => visit(item, listLevel))
          : child;
    }
    return out;
  };
  return visit(manifest, MANIFEST);
}
