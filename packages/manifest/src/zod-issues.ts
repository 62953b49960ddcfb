import type { z } from "zod";
import type { Issue } from "./errors.js";
import { ManifestIssueCode } from "./issue-codes.js";

type ZodIssue = z.core.$ZodIssue;

const SUGGESTIONS: Partial<Record<ManifestIssueCode, string>> = {
  [ManifestIssueCode.REQUIRED]: "Add the field; see @wasm-sandbox/manifest/schema.json for its shape.",
  [ManifestIssueCode.INVALID_TYPE]: "Use the type the field expects; see @wasm-sandbox/manifest/schema.json.",
  [ManifestIssueCode.OUT_OF_RANGE]: "Choose a value inside the allowed range.",
  [ManifestIssueCode.TOO_LARGE]: "Shorten the value.",
  [ManifestIssueCode.TOO_SMALL]: "Add content: the field may not be empty.",
  [ManifestIssueCode.INVALID_FORMAT]: "Write the value in the format the message names.",
  [ManifestIssueCode.INVALID_VALUE]: "Use one of the allowed values.",
  [ManifestIssueCode.UNKNOWN_KEY]:
    "Remove the key; see @wasm-sandbox/manifest/schema.json for the known keys.",
};

function codeOf(issue: ZodIssue): ManifestIssueCode {
  switch (issue.code) {
    case "invalid_type":
      return issue.input === undefined ? ManifestIssueCode.REQUIRED : ManifestIssueCode.INVALID_TYPE;
    case "too_big":
      return issue.origin === "string" || issue.origin === "array"
        ? ManifestIssueCode.TOO_LARGE
        : ManifestIssueCode.OUT_OF_RANGE;
    case "too_small":
      return issue.origin === "string" || issue.origin === "array"
        ? ManifestIssueCode.TOO_SMALL
        : ManifestIssueCode.OUT_OF_RANGE;
    case "not_multiple_of":
      return ManifestIssueCode.OUT_OF_RANGE;
    case "invalid_format":
      return ManifestIssueCode.INVALID_FORMAT;
    case "unrecognized_keys":
      return ManifestIssueCode.UNKNOWN_KEY;
    case "custom": {
      const code = (issue.params as { code?: ManifestIssueCode } | undefined)?.code;
      return code ?? ManifestIssueCode.INVALID_VALUE;
    }
    default:
      return ManifestIssueCode.INVALID_VALUE;
  }
}

/**
 * The branch of a failed union worth reporting: the one whose value had the right type but failed a check
 * ("64 parsecs" for a size), rather than every branch's "expected number" / "expected string".
 */
function unionIssues(issue: Extract<ZodIssue, { code: "invalid_union" }>): ZodIssue[] | undefined {
  const meaningful = issue.errors.filter((branch) => branch.some((i) => i.code !== "invalid_type"));
  return meaningful.length === 1 ? meaningful[0]! : undefined;
}

/** Turns zod's issues into manifest issues with stable codes and a suggestion each. */
export function fromZodIssues(issues: readonly ZodIssue[], base: PropertyKey[] = []): Issue[] {
  const out: Issue[] = [];
  for (const issue of issues) {
    const path = [...base, ...issue.path].map((k) => (typeof k === "symbol" ? String(k) : k));
    if (issue.code === "invalid_union") {
      const branch = unionIssues(issue);
      if (branch) {
        out.push(...fromZodIssues(branch, path));
        continue;
      }
    }
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        out.push({
          code: ManifestIssueCode.UNKNOWN_KEY,
          path: [...path, key],
          message: `unknown key "${key}"`,
          suggestion: SUGGESTIONS[ManifestIssueCode.UNKNOWN_KEY]!,
        });
      }
      continue;
    }
    if ((issue.code === "invalid_key" || issue.code === "invalid_element") && issue.issues.length > 0) {
      out.push(...fromZodIssues(issue.issues, path));
      continue;
    }
    const code = codeOf(issue);
    const suggestion =
      (issue.code === "custom" && (issue.params as { suggestion?: string })?.suggestion) || SUGGESTIONS[code];
    const message = code === ManifestIssueCode.REQUIRED ? "required field is missing" : issue.message;
    out.push(suggestion ? { code, path, message, suggestion } : { code, path, message });
  }
  return out;
}
