/** The smallest valid manifest input, fresh on every call so tests can mutate it. */
export function minimalManifest(): Record<string, unknown> {
  return { id: "acme/echo", name: "Echo", version: "1.0.0", entryPoints: [{ functionName: "run" }] };
}

/** Codes of a failed parse, for compact assertions. */
export function codesOf(result: { success: boolean; issues?: { code: string }[] }): string[] {
  return result.success ? [] : (result.issues ?? []).map((issue) => issue.code);
}
