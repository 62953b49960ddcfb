import { IssueCode, type Severity } from "./codes.js";

/**
 * The scoring rubric of securityAudit (documented in the README). A finding costs its code's weight, or its
 * severity's default; one code costs at most three times its weight in total, so one noisy kind of finding
 * cannot sink the score alone. Score = max(0, 100 - total cost), an integer.
 */
export const SEVERITY_COST: Readonly<Record<Severity, number>> = {
  critical: 40,
  error: 20,
  warning: 5,
  info: 0,
};

/** Per-occurrence costs that differ from the severity default, and why. */
export const CODE_COST: Readonly<Partial<Record<IssueCode, number>>> = {
  // Capabilities granted to the plugin: the larger the reach, the higher the cost.
  [IssueCode.NETWORK_ACCESS]: 15,
  [IssueCode.NETWORK_WILDCARD]: 10,
  [IssueCode.FILESYSTEM_WRITE]: 10,
  [IssueCode.FILESYSTEM_READ]: 5,
  [IssueCode.SECRET_ENV_VAR]: 10,
  [IssueCode.HOST_FUNCTIONS]: 2,
  [IssueCode.PRECISE_CLOCK]: 2,
  [IssueCode.GENEROUS_LIMIT]: 3,
  // Powerless imports reduce nothing: toolchains import them by default and the sandbox neuters them.
  [IssueCode.WASI_PERMISSION]: 0,
  [IssueCode.SANDBOX_PERMISSION]: 1,
  // Unbounded memories and tables are capped by the runtime; they cost a little for relying on it.
  [IssueCode.MEMORY_UNBOUNDED]: 2,
  [IssueCode.TABLE_UNBOUNDED]: 1,
  [IssueCode.START_FUNCTION]: 3,
  [IssueCode.MUTABLE_GLOBAL_EXPORT]: 3,
};

/** A score at or above this, with no error or critical finding, is production ready. */
export const PRODUCTION_READY_SCORE = 70;

export const MAX_COST_MULTIPLE = 3;

export function findingCost(code: IssueCode, severity: Severity): number {
  return CODE_COST[code] ?? SEVERITY_COST[severity];
}

/** Sums the costs with the per-code cap and returns the 0..100 score. */
export function score(findings: readonly { code: IssueCode; severity: Severity }[]): number {
  const perCode = new Map<IssueCode, { total: number; cap: number }>();
  for (const f of findings) {
    const cost = findingCost(f.code, f.severity);
    const entry = perCode.get(f.code) ?? { total: 0, cap: 0 };
    entry.total += cost;
    entry.cap = Math.max(entry.cap, cost * MAX_COST_MULTIPLE);
    perCode.set(f.code, entry);
  }
  let total = 0;
  for (const { total: t, cap } of perCode.values()) total += Math.min(t, cap);
  return Math.max(0, 100 - total);
}
