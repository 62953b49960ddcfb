// The server's JSON API as the page uses it; README.md documents every route. The reply types are the
// server's own (type-only imports: nothing of the server is bundled into the page).
import type { PluginSummary } from "@wasm-sandbox/registry";
import type { ConfigReply } from "../app.js";
import type { PluginCheck } from "../checks.js";
import type { ErrorBody } from "../http-errors.js";
import type { RunLimits } from "../limits.js";
import type { PluginDetails } from "../plugin-info.js";
import type { RunResult } from "../runner.js";

export type { ConfigReply, PluginCheck, PluginDetails, PluginSummary, RunLimits, RunResult };
export type ApiErrorBody = ErrorBody["error"];

/** A failed call, with the server's error code and suggestion. */
export class ApiError extends Error {
  readonly status: number;
  readonly body: ApiErrorBody;
  constructor(status: number, body: ApiErrorBody) {
    super(body.message);
    this.status = status;
    this.body = body;
  }
}

async function call<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, init);
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new ApiError(response.status, {
      code: "INTERNAL",
      message: `The server answered ${response.status} without JSON`,
      suggestion: "Check that the playground server is still running.",
    });
  }
  if (!response.ok) throw new ApiError(response.status, (body as ErrorBody).error);
  return body as T;
}

const json = (body: unknown): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

export const api = {
  config: () => call<ConfigReply>("/api/config"),
  list: (q: string) =>
    call<{ plugins: PluginSummary[] }>(q ? `/api/plugins?q=${encodeURIComponent(q)}` : "/api/plugins"),
  details: (id: string, version?: string) =>
    call<PluginDetails>(
      `/api/plugins/${encodeURIComponent(id)}${version ? `/${encodeURIComponent(version)}` : ""}`,
    ),
  validate: (form: FormData) => call<PluginCheck>("/api/validate", { method: "POST", body: form }),
  register: (form: FormData) => call<PluginCheck>("/api/plugins", { method: "POST", body: form }),
  run: (request: {
    id: string;
    version: string;
    entry: string;
    params: unknown;
    limits: Partial<RunLimits>;
  }) => call<RunResult>("/api/run", json(request)),
};
