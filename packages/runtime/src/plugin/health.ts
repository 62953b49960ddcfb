import { ErrorCode } from "@wasm-sandbox/manifest";
import type { HealthReport } from "./types.js";

export interface HealthInputs {
  closed: boolean;
  lastErrorCode: ErrorCode | undefined;
  resourceUsage: HealthReport["resourceUsage"];
  metrics: HealthReport["metrics"];
}

/**
 * The status of a plugin from its usage and recent calls: Warning when the last call failed or a budget is
 * above 80 %, Unresponsive when the last call ran out of time, Error after three failures in a row or once
 * the plugin was cleaned up.
 */
export function assessHealth({ closed, lastErrorCode, resourceUsage, metrics }: HealthInputs): HealthReport {
  const messages: string[] = [];
  let status: HealthReport["status"] = "Healthy";
  const warn = (message: string) => {
    messages.push(message);
    if (status === "Healthy") status = "Warning";
  };
  const { memoryBytes, memoryLimitBytes, instanceFuel, instanceFuelLimit, totalTimeMs, totalTimeoutMs } =
    resourceUsage;
  if (memoryBytes > memoryLimitBytes * 0.8) {
    warn(`memory at ${Math.round((memoryBytes / memoryLimitBytes) * 100)}% of its cap`);
  }
  if (instanceFuelLimit !== undefined && instanceFuel > instanceFuelLimit * 0.8) {
    warn("instance fuel budget more than 80% used");
  }
  if (totalTimeMs > totalTimeoutMs * 0.8) warn("instance time budget more than 80% used");
  const failing = metrics.consecutiveFailures > 0;
  if (failing) warn(`last call failed with ${lastErrorCode}`);
  if (failing && lastErrorCode === ErrorCode.TIMEOUT) {
    status = "Unresponsive";
    messages.push("the last call ran out of time");
  }
  if (metrics.consecutiveFailures >= 3) {
    status = "Error";
    messages.push(`${metrics.consecutiveFailures} calls in a row failed`);
  }
  if (closed) {
    status = "Error";
    messages.push("the plugin was cleaned up");
  }
  return { status, timestamp: new Date(), resourceUsage, messages, metrics };
}
