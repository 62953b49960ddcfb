import { isDeepStrictEqual } from "node:util";
import { ErrorCode, type PluginManifest, type ResourceLimits, SandboxError } from "@wasm-sandbox/manifest";
import type { CallContext } from "./types.js";

const CONTEXT_KEYS = new Set(["instanceId", "manifest", "environment", "metadata", "limits"]);
const PER_CALL_LIMITS = new Set<string>(["fuel", "timeout", "maxOutput", "maxLog"]);

/** What a context is checked against: the plugin it is given to. */
export interface ContextOwner {
  instanceId: string;
  manifest: PluginManifest;
  limits: ResourceLimits;
  /** Without WASI no environment reaches the guest, so one given would be ignored. */
  usesWasi: boolean;
}

/**
 * Refuses a context that asks for what it cannot have: an unknown key, another plugin's identity, an
 * environment for a plugin without WASI, or a limit that cannot change. A call (`"call"`) may change the
 * per-call limits; `initialize` runs the start function under the plugin's own limits, so it may not.
 */
export function checkCallContext(
  context: CallContext,
  owner: ContextOwner,
  phase: "call" | "initialize",
): void {
  const refuse = (what: string, suggestion: string): never => {
    throw new SandboxError(ErrorCode.INVALID_ARGUMENT, `The ${phase} context cannot change ${what}`, {
      suggestion,
      context: { instanceId: owner.instanceId, field: what },
    });
  };
  for (const key of Object.keys(context)) {
    if (!CONTEXT_KEYS.has(key)) {
      refuse(key, `A context has only ${[...CONTEXT_KEYS].join(", ")}; limits go under "limits".`);
    }
  }
  if (context.instanceId !== undefined && context.instanceId !== owner.instanceId) {
    refuse("instanceId", "Pass this plugin's own context (plugin.context) or leave instanceId out.");
  }
  if (context.manifest !== undefined && !isDeepStrictEqual(context.manifest, owner.manifest)) {
    refuse(
      "manifest",
      "A context's manifest must be this plugin's; load the other manifest as its own plugin.",
    );
  }
  if (!owner.usesWasi && context.environment !== undefined && Object.keys(context.environment).length > 0) {
    refuse(
      "environment",
      "Only WASI plugins (importing wasi_snapshot_preview1) read environment variables; leave environment out.",
    );
  }
  const limits = context.limits;
  if (limits === undefined) return;
  for (const key of Object.keys(limits) as (keyof ResourceLimits)[]) {
    if (phase === "call" && PER_CALL_LIMITS.has(key)) {
      const value = limits[key];
      if (typeof value !== "number" || !(value > 0))
        refuse(`limits.${key} to ${String(value)}`, "Per-call limits must be positive numbers.");
    } else if (limits[key] !== owner.limits[key]) {
      refuse(
        `limits.${key}`,
        phase === "call"
          ? "Only fuel, timeout, maxOutput and maxLog can change per call; load the plugin with other limits instead."
          : "initialize() runs under the plugin's limits; give per-call limits to execute(), others when loading.",
      );
    }
  }
}
