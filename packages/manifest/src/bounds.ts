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

const problem = (
  code: ManifestIssueCode,
  path: Issue["path"],
  message: string,
  suggestion: string,
): Issue => ({
  code,
  path,
  message,
  suggestion,
});

const TOO_LARGE_HINT =
  "Keep manifests small: move large data out of metadata and schemas into the plugin itself.";
const DEPTH_HINT = "Flatten the structure; no manifest field needs that much nesting.";
const PLAIN_HINT = "Pass a JSON string or plain objects, arrays, strings, numbers, booleans and null.";

/**
 * Checks that `root` is plain JSON data within MANIFEST_BOUNDS and free of forbidden keys. Returns the
 * issues found (empty when the input is safe to hand to the schema). Crossing a bound ends the walk at once.
 */
export function checkBounds(root: unknown): Issue[] {
  const issues: Issue[] = [];
  let size = 0;
  const stack: Frame[] = [{ value: root, depth: 0, parent: undefined, key: undefined }];
  const tooLarge = (frame: Frame) => [
    problem(
      ManifestIssueCode.TOO_LARGE,
      pathOf(frame),
      `the manifest is larger than ${MANIFEST_BOUNDS.maxBytes} bytes when serialised`,
      TOO_LARGE_HINT,
    ),
  ];
  try {
    while (stack.length > 0) {
      const frame = stack.pop()!;
      const { value } = frame;
      const path = () => pathOf(frame);
      if (typeof value === "string") {
        if (value.length > MANIFEST_BOUNDS.maxStringLength) {
          const message = `string of ${value.length} characters is longer than ${MANIFEST_BOUNDS.maxStringLength}`;
          return [problem(ManifestIssueCode.TOO_LARGE, path(), message, "Shorten the string.")];
        }
        size += value.length + 2;
      } else if (typeof value === "number") {
        if (!Number.isFinite(value)) {
          issues.push(
            problem(ManifestIssueCode.INVALID_TYPE, path(), `${value} is not JSON`, "Use a finite number."),
          );
        }
        size += 8;
      } else if (typeof value === "boolean" || value === null) {
        size += 5;
      } else if (typeof value === "object") {
        const depth = frame.depth + 1;
        if (depth > MANIFEST_BOUNDS.maxDepth) {
          const message = `the input nests deeper than ${MANIFEST_BOUNDS.maxDepth} levels`;
          return [problem(ManifestIssueCode.TOO_DEEP, path(), message, DEPTH_HINT)];
        }
        size += 2;
        if (Array.isArray(value)) {
          // Index by index (no Object.keys copy), so a huge sparse array stops at the first hole or the size cap.
          for (let i = 0; i < value.length; i++) {
            if (!(i in value)) {
              const message = "arrays must not have holes or undefined items";
              issues.push(
                problem(ManifestIssueCode.INVALID_TYPE, [...path(), i], message, "Put null there."),
              );
              break;
            }
            size += 1;
            if (size > MANIFEST_BOUNDS.maxBytes) return tooLarge(frame);
            stack.push({ value: value[i], depth, parent: frame, key: i });
          }
        } else if (!isPlainObject(value)) {
          const message = `expected plain JSON data, got ${describe(value)}`;
          issues.push(problem(ManifestIssueCode.INVALID_TYPE, path(), message, PLAIN_HINT));
        } else {
          for (const key of Object.keys(value)) {
            if (FORBIDDEN_KEYS.has(key)) {
              const hint = `Remove "${key}"; it could tamper with object prototypes in consumers of the manifest.`;
              issues.push(
                problem(
                  ManifestIssueCode.FORBIDDEN_KEY,
                  [...path(), key],
                  `"${key}" is not allowed as a key`,
                  hint,
                ),
              );
              continue;
            }
            if (key.length > MANIFEST_BOUNDS.maxKeyLength) {
              const message = `a key of ${key.length} characters is longer than ${MANIFEST_BOUNDS.maxKeyLength}`;
              return [problem(ManifestIssueCode.TOO_LARGE, path(), message, "Use short keys.")];
            }
            const descriptor = Object.getOwnPropertyDescriptor(value, key)!;
            if (!("value" in descriptor)) {
              const message = "accessor properties (getters) are not data";
              issues.push(problem(ManifestIssueCode.INVALID_TYPE, [...path(), key], message, PLAIN_HINT));
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
        const message = `${typeof value} values cannot appear in a manifest`;
        issues.push(problem(ManifestIssueCode.INVALID_TYPE, path(), message, PLAIN_HINT));
      }
      if (size > MANIFEST_BOUNDS.maxBytes) return tooLarge(frame);
      if (issues.length >= MAX_ISSUES) return issues;
    }
  } catch (error) {
    // Only exotic inputs (proxies, revoked objects) get here; they are not manifest data.
    const message = `the input could not be read as plain data: ${(error as Error)?.message ?? String(error)}`;
    return [problem(ManifestIssueCode.INVALID_TYPE, [], message, PLAIN_HINT)];
  }
  return issues;
}

/**
 * Parses JSON text within MANIFEST_BOUNDS: the length and nesting are checked on the text before
 * JSON.parse builds anything.
 */
export function parseJsonText(text: string): { ok: true; value: unknown } | { ok: false; issues: Issue[] } {
  if (text.length > MANIFEST_BOUNDS.maxBytes) {
    const message = `the manifest text has ${text.length} characters, more than ${MANIFEST_BOUNDS.maxBytes}`;
    return { ok: false, issues: [problem(ManifestIssueCode.TOO_LARGE, [], message, TOO_LARGE_HINT)] };
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
        const message = `the JSON nests deeper than ${MANIFEST_BOUNDS.maxDepth} levels (at character ${i})`;
        return { ok: false, issues: [problem(ManifestIssueCode.TOO_DEEP, [], message, DEPTH_HINT)] };
      }
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const message = `the manifest is not valid JSON: ${(error as Error).message}`;
    const hint = "Check for trailing commas, unquoted keys and single quotes; JSON allows none of them.";
    return { ok: false, issues: [problem(ManifestIssueCode.INVALID_JSON, [], message, hint)] };
  }
}
