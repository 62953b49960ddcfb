import type { Issue } from "./errors.js";
import { ManifestIssueCode } from "./issue-codes.js";

/**
 * The hard bounds every manifest input is held to before zod sees it. The walk that checks them is iterative
 * and stops at the first bound crossed, so a 50 MB string or a 100k-deep object is rejected in time
 * proportional to the bound, not to the input, and never overflows the stack.
 */
export const MANIFEST_BOUNDS = Object.freeze({
  /** Largest manifest: characters of JSON text, or the estimated serialised size of an object. */
  maxBytes: 1024 * 1024,
  /** Deepest nesting of objects and arrays (the root object is level 1). */
  maxDepth: 64,
  /** Longest string value anywhere (fields have tighter limits of their own). */
  maxStringLength: 64 * 1024,
  /** Longest object key anywhere. */
  maxKeyLength: 1024,
});

/** Keys that could reach an object's prototype in some consumer; never valid in a manifest. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/** Stop collecting after this many issues: the input is rejected anyway. */
const MAX_ISSUES = 20;

interface Frame {
  value: unknown;
  depth: number;
  parent: Frame | undefined;
  key: string | number | undefined;
}

function pathOf(frame: Frame | undefined): (string | number)[] {
  const path: (string | number)[] = [];
  for (let f = frame; f?.key !== undefined; f = f.parent) path.push(f.key);
  return path.reverse();
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (typeof value === "number") return String(value);
  if (typeof value === "object" && value !== null) return value.constructor?.name ?? "an exotic object";
  return typeof value;
}

/**
 * Checks that `root` is plain JSON data within MANIFEST_BOUNDS and free of forbidden keys. Returns the
 * issues found (empty when the input is safe to hand to the schema).
 */
export function checkBounds(root: unknown): Issue[] {
  const issues: Issue[] = [];
  let size = 0;
  const stack: Frame[] = [{ value: root, depth: 0, parent: undefined, key: undefined }];
  const tooLarge = (frame: Frame | undefined): Issue[] => [
    {
      code: ManifestIssueCode.TOO_LARGE,
      path: pathOf(frame),
      message: `the manifest is larger than ${MANIFEST_BOUNDS.maxBytes} bytes when serialised`,
      suggestion: "Keep manifests small: move large data out of metadata and schemas into the plugin itself.",
    },
  ];
  try {
    while (stack.length > 0) {
      const frame = stack.pop()!;
      const { value } = frame;
      if (typeof value === "string") {
        if (value.length > MANIFEST_BOUNDS.maxStringLength) {
          return [
            {
              code: ManifestIssueCode.TOO_LARGE,
              path: pathOf(frame),
              message: `string of ${value.length} characters is longer than ${MANIFEST_BOUNDS.maxStringLength}`,
              suggestion: "Shorten the string; manifests carry descriptions, not data.",
            },
          ];
        }
        size += value.length + 2;
      } else if (typeof value === "number") {
        if (!Number.isFinite(value)) {
          issues.push({
            code: ManifestIssueCode.INVALID_TYPE,
            path: pathOf(frame),
            message: `${value} cannot be represented in JSON`,
            suggestion: "Use a finite number.",
          });
        }
        size += 8;
      } else if (typeof value === "boolean" || value === null) {
        size += 5;
      } else if (typeof value === "object") {
        const depth = frame.depth + 1;
        if (depth > MANIFEST_BOUNDS.maxDepth) {
          return [
            {
              code: ManifestIssueCode.TOO_DEEP,
              path: pathOf(frame),
              message: `the input nests deeper than ${MANIFEST_BOUNDS.maxDepth} levels`,
              suggestion: "Flatten the structure; no manifest field needs that much nesting.",
            },
          ];
        }
        size += 2;
        if (Array.isArray(value)) {
          // Index by index (no Object.keys copy), so a huge sparse array stops at the first hole or the size cap.
          for (let i = 0; i < value.length; i++) {
            if (!(i in value)) {
              issues.push({
                code: ManifestIssueCode.INVALID_TYPE,
                path: [...pathOf(frame), i],
                message: "arrays must not have holes or undefined items",
                suggestion: "Remove the empty slot or put null there.",
              });
              break;
            }
            size += 1;
            if (size > MANIFEST_BOUNDS.maxBytes) return tooLarge(frame);
            stack.push({ value: value[i], depth, parent: frame, key: i });
          }
        } else if (!isPlainObject(value)) {
          issues.push({
            code: ManifestIssueCode.INVALID_TYPE,
            path: pathOf(frame),
            message: `expected plain JSON data, got ${describe(value)}`,
            suggestion: "Pass a JSON string or plain objects, arrays, strings, numbers, booleans and null.",
          });
        } else {
          for (const key of Object.keys(value)) {
            if (FORBIDDEN_KEYS.has(key)) {
              issues.push({
                code: ManifestIssueCode.FORBIDDEN_KEY,
                path: [...pathOf(frame), key],
                message: `"${key}" is not allowed as a key`,
                suggestion: `Remove "${key}"; it could tamper with object prototypes in consumers of the manifest.`,
              });
              continue;
            }
            if (key.length > MANIFEST_BOUNDS.maxKeyLength) {
              return [
                {
                  code: ManifestIssueCode.TOO_LARGE,
                  path: pathOf(frame),
                  message: `a key of ${key.length} characters is longer than ${MANIFEST_BOUNDS.maxKeyLength}`,
                  suggestion: "Use short keys.",
                },
              ];
            }
            const descriptor = Object.getOwnPropertyDescriptor(value, key)!;
            if (!("value" in descriptor)) {
              issues.push({
                code: ManifestIssueCode.INVALID_TYPE,
                path: [...pathOf(frame), key],
                message: "accessor properties (getters) are not data",
                suggestion: "Pass plain data, for example JSON.parse(JSON.stringify(value)).",
              });
              continue;
            }
            // undefined means absent, as in JSON.stringify.
            if (descriptor.value === undefined) continue;
            size += key.length + 4;
            if (size > MANIFEST_BOUNDS.maxBytes) return tooLarge(frame);
            stack.push({ value: descriptor.value, depth, parent: frame, key });
          }
        }
      } else {
        issues.push({
          code: ManifestIssueCode.INVALID_TYPE,
          path: pathOf(frame),
          message: `${typeof value} values cannot appear in a manifest`,
          suggestion: "Use only JSON data: objects, arrays, strings, numbers, booleans and null.",
        });
      }
      if (size > MANIFEST_BOUNDS.maxBytes) return tooLarge(frame);
      if (issues.length >= MAX_ISSUES) return issues;
    }
  } catch (error) {
    // Only exotic inputs (proxies, revoked objects) get here; they are not manifest data.
    return [
      {
        code: ManifestIssueCode.INVALID_TYPE,
        path: [],
        message: `the input could not be read as plain data: ${(error as Error)?.message ?? String(error)}`,
        suggestion: "Pass a JSON string or plain objects.",
      },
    ];
  }
  return issues;
}

/**
 * Parses JSON text within MANIFEST_BOUNDS: the length and nesting are checked on the text before
 * JSON.parse builds anything.
 */
export function parseJsonText(text: string): { ok: true; value: unknown } | { ok: false; issues: Issue[] } {
  if (text.length > MANIFEST_BOUNDS.maxBytes) {
    return {
      ok: false,
      issues: [
        {
          code: ManifestIssueCode.TOO_LARGE,
          path: [],
          message: `the manifest text has ${text.length} characters, more than ${MANIFEST_BOUNDS.maxBytes}`,
          suggestion:
            "Keep manifests small: move large data out of metadata and schemas into the plugin itself.",
        },
      ],
    };
  }
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > MANIFEST_BOUNDS.maxDepth) {
        return {
          ok: false,
          issues: [
            {
              code: ManifestIssueCode.TOO_DEEP,
              path: [],
              message: `the JSON nests deeper than ${MANIFEST_BOUNDS.maxDepth} levels (at character ${i})`,
              suggestion: "Flatten the structure; no manifest field needs that much nesting.",
            },
          ],
        };
      }
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return {
      ok: false,
      issues: [
        {
          code: ManifestIssueCode.INVALID_JSON,
          path: [],
          message: `the manifest is not valid JSON: ${(error as Error).message}`,
          suggestion: "Check for trailing commas, unquoted keys and single quotes; JSON allows none of them.",
        },
      ],
    };
  }
}
