import { ErrorCode, SandboxError } from "@wasm-sandbox/manifest";
import { IssueCode, type Severity } from "./codes.js";
import { issue, type ModuleLocation, type ValidationWarning } from "./issues.js";

const RULES: { test: RegExp; code: IssueCode }[] = [
  { test: /shorter than the 8-byte header|Unexpected end of data/i, code: IssueCode.TRUNCATED },
  { test: /magic/i, code: IssueCode.BAD_MAGIC },
  { test: /binary version/i, code: IssueCode.BAD_VERSION },
  {
    test: /Section size \d+ exceeds|unread bytes|Vector length \d+ exceeds|size \d+ exceeds/i,
    code: IssueCode.SECTION_SIZE_MISMATCH,
  },
  { test: /Integer (representation )?too (long|large)/i, code: IssueCode.MALFORMED_INTEGER },
  { test: /Unknown section id/i, code: IssueCode.UNKNOWN_SECTION },
  { test: /Duplicate .* section|out of order/i, code: IssueCode.SECTION_ORDER },
  {
    test: /Function section declares \d+ functions but the code section/i,
    code: IssueCode.FUNCTION_CODE_MISMATCH,
  },
  { test: /locals, above the limit/i, code: IssueCode.IMPLEMENTATION_LIMIT },
];

/**
 * Turns an error thrown by the binary reader (src/binary) into an issue. Malformed bytes become errors with
 * the most specific code; UNSUPPORTED encodings become `unsupportedSeverity` issues.
 */
export function readerIssue(error: unknown, unsupportedSeverity: Severity = "warning"): ValidationWarning {
  const offset = SandboxError.is(error) ? error.context.offset : undefined;
  const location: ModuleLocation = {};
  if (typeof offset === "number") location.offset = offset;
  const message = error instanceof Error ? error.message : String(error);
  if (SandboxError.is(error, ErrorCode.UNSUPPORTED)) {
    return issue(
      unsupportedSeverity,
      IssueCode.UNSUPPORTED,
      `The module uses an encoding this validator cannot decode: ${message}.`,
      location,
      error.suggestion ?? "Compile the plugin without this WebAssembly proposal, or upgrade wasm-sandbox.",
    );
  }
  if (!SandboxError.is(error, ErrorCode.INVALID_MODULE)) {
    // Not a reader verdict: a bug. Report it as an issue rather than crash the host.
    return issue(
      "error",
      IssueCode.UNSUPPORTED,
      `The module could not be decoded (internal error: ${message}).`,
      location,
      "Report this module to the wasm-sandbox maintainers.",
    );
  }
  const code = RULES.find((r) => r.test.test(message))?.code ?? IssueCode.INVALID_MODULE;
  return issue(
    "error",
    code,
    `The module is malformed: ${message}.`,
    location,
    error.suggestion ?? "Rebuild the plugin with its toolchain.",
  );
}
