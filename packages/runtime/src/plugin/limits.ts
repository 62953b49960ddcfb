import {
  ErrorCode,
  type ResourceLimits,
  type ResourceLimitsInput,
  ResourceLimitsSchema,
  SandboxError,
} from "@wasm-sandbox/manifest";

/** The manifest's limits with the embedder's overrides applied, checked by the same schema. */
export function resolveLimits(
  manifestLimits: ResourceLimits,
  overrides: Partial<ResourceLimitsInput> | undefined,
): ResourceLimits {
  if (!overrides) return manifestLimits;
  const merged = { ...manifestLimits, ...overrides };
  const parsed = ResourceLimitsSchema.safeParse(merged);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new SandboxError(
      ErrorCode.INVALID_ARGUMENT,
      `Invalid limit ${first?.path.join(".") ?? ""}: ${first?.message ?? "rejected"}`,
      {
        suggestion: 'Use the manifest\'s limit names with numbers or units ("64MiB", "2s").',
        context: { limits: Object.keys(overrides) },
      },
    );
  }
  return parsed.data;
}
