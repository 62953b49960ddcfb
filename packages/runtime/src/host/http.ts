import { Worker } from "node:worker_threads";
import { ErrorCode, MAX_DURATION_MS, SandboxError, TimeoutError } from "@wasm-sandbox/manifest";
import type { HostCallContext, HostFunction } from "./host-functions.js";

export interface HttpHostFunctionOptions {
  /** Largest response body passed back to the guest (default 1 MiB); a larger one is an error result. */
  maxResponseBytes?: number;
  /** Upper bound for one request in ms (default 10 s); the call's own deadline bounds it too. */
  timeoutMs?: number;
}

/** What the guest sends (`sandbox.host_call` input, or its first element when it sends an array). */
interface HttpRequest {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

// The worker performs the request with fetch and writes the JSON outcome into a SharedArrayBuffer;
// the calling thread waits on it with Atomics.wait (guest calls are synchronous).
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
parentPort.on("message", async ({ request, shared, maxBytes, timeoutMs }) => {
  const signal = new Int32Array(shared, 0, 2);
  const data = new Uint8Array(shared, 8);
  let outcome;
  try {
    const response = await fetch(request.url, {
      method: request.method ?? "GET",
      headers: request.headers,
      body: request.body,
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    const reader = response.body ? response.body.getReader() : undefined;
    const chunks = [];
    let size = 0;
    while (reader) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) { await reader.cancel(); throw new Error("response larger than " + maxBytes + " bytes"); }
      chunks.push(value);
    }
    const body = Buffer.concat(chunks).toString("utf8");
    outcome = { ok: true, status: response.status, headers: Object.fromEntries(response.headers), body };
  } catch (error) {
    outcome = { ok: false, error: String(error && error.message || error) };
  }
  let bytes = Buffer.from(JSON.stringify(outcome));
  if (bytes.byteLength > data.byteLength) bytes = Buffer.from(JSON.stringify({ ok: false, error: "response too large" }));
  data.set(bytes);
  Atomics.store(signal, 1, bytes.byteLength);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
});
`;

let worker: Worker | undefined;

function httpWorker(): Worker {
  if (!worker) {
    worker = new Worker(WORKER_SOURCE, { eval: true });
    // The worker must not keep the host process alive.
    worker.unref();
    worker.on("error", () => {
      worker = undefined;
    });
  }
  return worker;
}

function readRequest(input: unknown): HttpRequest {
  const value = Array.isArray(input) ? input[0] : input;
  const request = value as Partial<HttpRequest> | null;
  const headersOk =
    request?.headers === undefined ||
    (typeof request.headers === "object" &&
      request.headers !== null &&
      Object.values(request.headers).every((v) => typeof v === "string"));
  if (
    typeof request?.url !== "string" ||
    (request.method !== undefined && typeof request.method !== "string") ||
    (request.body !== undefined && typeof request.body !== "string") ||
    !headersOk
  ) {
    throw new SandboxError(
      ErrorCode.INVALID_INPUT,
      "An HTTP request needs { url, method?, headers?, body? }",
      {
        suggestion: 'Send e.g. {"url": "https://api.example.com/v1", "method": "GET"} to the host function.',
      },
    );
  }
  return request as HttpRequest;
}

/** The response buffer is allocated per request: its size is bounded so a setting cannot exhaust the host. */
const MAX_RESPONSE_BYTES = 1024 * 1024 * 1024;

/**
 * Refuses options that would be ignored (unknown keys) or could not work: a NaN timeout would leave the
 * host's wait without a bound, and a bad size would fail only at the guest's first request.
 */
function checkHttpOptions(options: HttpHostFunctionOptions): void {
  const refuse = (message: string, suggestion: string): never => {
    throw new SandboxError(ErrorCode.INVALID_ARGUMENT, message, { suggestion });
  };
  for (const key of Object.keys(options)) {
    if (key !== "maxResponseBytes" && key !== "timeoutMs") {
      refuse(`Unknown createHttpHostFunction option "${key}"`, "Use maxResponseBytes and/or timeoutMs.");
    }
  }
  const { maxResponseBytes: bytes, timeoutMs: ms } = options;
  if (bytes !== undefined && (!Number.isSafeInteger(bytes) || bytes < 0 || bytes > MAX_RESPONSE_BYTES)) {
    refuse(
      `maxResponseBytes must be a whole number from 0 to ${MAX_RESPONSE_BYTES}, got ${bytes}`,
      "Give the largest response body in bytes, e.g. 1048576 for 1 MiB.",
    );
  }
  if (ms !== undefined && (typeof ms !== "number" || !(ms > 0) || ms > MAX_DURATION_MS)) {
    refuse(
      `timeoutMs must be a number of milliseconds above 0 and at most ${MAX_DURATION_MS}, got ${ms}`,
      "Give the request time limit in milliseconds, e.g. 5000.",
    );
  }
}

/**
 * A host function that performs an HTTP request for the guest, synchronously, and only where the plugin's
 * network permissions allow: the URL goes through `context.network.check` (host and port), redirects are
 * not followed (a 3xx comes back to the guest), the body is capped, and the wait ends at the call's
 * deadline. Register it under the name the plugin's manifest lists in permissions.hostFunctions; the guest
 * sends `{ url, method?, headers?, body? }` and gets `{ status, headers, body }`, or `{ error }`.
 */
export function createHttpHostFunction(options: HttpHostFunctionOptions = {}): HostFunction {
  checkHttpOptions(options);
  const maxBytes = options.maxResponseBytes ?? 1024 * 1024;
  const limitMs = options.timeoutMs ?? 10_000;
  return (input: unknown, context: HostCallContext) => {
    const request = readRequest(input);
    const url = context.network.check(request.url);
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      return { error: `unsupported protocol ${url.protocol}` };
    }
    const remaining = Math.floor(Math.min(limitMs, context.deadline - performance.now()));
    if (remaining <= 0)
      throw new TimeoutError(limitMs, limitMs, "No time left in the call for an HTTP request");
    // A fresh buffer per request: a late answer to a timed-out request lands where nobody reads.
    const shared = new SharedArrayBuffer(8 + maxBytes + 64 * 1024);
    const signal = new Int32Array(shared, 0, 2);
    httpWorker().postMessage({
      request: { ...request, url: url.href },
      shared,
      maxBytes,
      timeoutMs: remaining,
    });
    if (Atomics.wait(signal, 0, 0, remaining + 50) === "timed-out") {
      throw new TimeoutError(remaining, remaining + 50, `HTTP request to ${url.host} timed out`, {
        context: { url: url.href },
      });
    }
    const length = Atomics.load(signal, 1);
    const outcome = JSON.parse(Buffer.from(new Uint8Array(shared, 8, length)).toString("utf8")) as {
      ok: boolean;
      status?: number;
      headers?: Record<string, string>;
      body?: string;
      error?: string;
    };
    return outcome.ok
      ? { status: outcome.status, headers: outcome.headers, body: outcome.body }
      : { error: outcome.error };
  };
}
