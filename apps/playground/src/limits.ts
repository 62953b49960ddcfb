import { InvalidInputError, type ResourceLimits, ResourceLimitsSchema } from "@wasm-sandbox/manifest";
import { z } from "zod";

/** The limits a person may change per run in the playground. */
export interface RunLimits {
  /** Linear memory cap in 64 KiB pages. */
  memory: number;
  /** Fuel (metered instructions) for the call. */
  fuel: number;
  /** Wall-clock limit for the call in milliseconds. */
  timeout: number;
}

/**
 * The most any run may ask for. In-process calls are synchronous CPU work on the server's only thread, so
 * the timeout cap is also the longest one call can hold up every other request.
 */
export const DEFAULT_MAX_LIMITS: Readonly<RunLimits> = Object.freeze({
  memory: 1024, // 64 MiB
  fuel: 10_000_000_000,
  timeout: 10_000,
});

// Reuse the manifest's own field schemas so the playground accepts exactly the units a manifest accepts
// ("64MiB", "250ms", pages, milliseconds).
const fields = ResourceLimitsSchema.shape;

export const RunLimitsInputSchema = z.strictObject({
  memory: fields.memory.unwrap().optional(),
  fuel: fields.fuel.unwrap().optional(),
  timeout: fields.timeout.unwrap().optional(),
});

export type RunLimitsInput = z.input<typeof RunLimitsInputSchema>;

const UNIT: Record<keyof RunLimits, string> = { memory: "pages", fuel: "fuel", timeout: "ms" };

/**
 * The limits one run gets: the user's overrides (refused above the server's maxima, so nobody can ask for
 * an hour) or else the manifest's own limits (lowered to the maxima, which the response reports).
 */
export function effectiveLimits(
  manifestLimits: Pick<ResourceLimits, keyof RunLimits>,
  requested: Partial<RunLimits>,
  max: Readonly<RunLimits>,
): RunLimits {
  const result = {} as RunLimits;
  for (const key of Object.keys(UNIT) as (keyof RunLimits)[]) {
    const asked = requested[key];
    if (asked !== undefined && asked > max[key]) {
      throw new InvalidInputError(`limits.${key} ${asked} ${UNIT[key]} is above this server's maximum`, [], {
        suggestion: `Ask for at most ${max[key]} ${UNIT[key]}.`,
        context: { limit: key, requested: asked, max: max[key] },
      });
    }
    result[key] = asked ?? Math.min(manifestLimits[key], max[key]);
  }
  return result;
}
