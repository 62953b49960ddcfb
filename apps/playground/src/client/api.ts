/** The server's JSON API as the page uses it; README.md documents every route. */

export interface ApiErrorBody {
  code: string;
  message: string;
  suggestion?: string;
  context?: Record<string, unknown>;
  issues?: { code: string; message: string; path?: (string | number)[]; suggestion?: string }[];
}

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

export interface Limits {
  memory: number;
  fuel: number;
  timeout: number;
}

export interface EntryPoint {
  functionName: string;
  displayName?: string;
  description?: string;
  inputSchema?: Record<string, unknown>;
  abi?: string;
}

export interface Manifest {
  id: string;
  name: string;
  version: string;
  description?: string;
  author?: string;
  tags?: string[];
  entryPoints: EntryPoint[];
  limits: Limits & Record<string, unknown>;
  permissions?: Record<string, unknown>;
}

export interface PluginSummary {
  id: string;
  name?: string;
  version: string;
  description?: string;
  tags?: string[];
}

export interface Issue {
  code: string;
  severity: string;
  message: string;
  path: (string | number)[];
  location?: Record<string, unknown>;
  suggestion?: string;
}

export interface Signature {
  params: string[];
  results: string[];
}

export interface PluginDetails {
  manifest: Manifest;
  versions: string[];
  digest?: string;
  signatures: Record<string, Signature>;
}

export interface AuditFinding {
  severity: string;
  code: string;
  description: string;
  impact?: string;
  fix?: string;
}

export interface Audit {
  securityScore: number;
  issues: AuditFinding[];
  mitigations?: string[];
  productionReady: boolean;
}

export interface Check {
  ok: boolean;
  embeddedManifest?: boolean;
  manifest?: Manifest;
  issues: Issue[];
  audit?: Audit;
  module?: Record<string, unknown>;
}

export interface RunResult {
  id: string;
  version: string;
  entry: string;
  value: unknown;
  usage: Record<string, unknown>;
  limits: Limits;
  logs: { level: string; message: string }[];
}

export interface ServerConfig {
  maxLimits: Limits;
  uploadLimits: { maxWasmBytes: number; maxManifestBytes: number };
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
  if (!response.ok) throw new ApiError(response.status, (body as { error: ApiErrorBody }).error);
  return body as T;
}

const json = (body: unknown): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

export const api = {
  config: () => call<ServerConfig>("/api/config"),
  list: (q: string) =>
    call<{ plugins: PluginSummary[] }>(q ? `/api/plugins?q=${encodeURIComponent(q)}` : "/api/plugins"),
  manifest: (id: string, version?: string) =>
    call<PluginDetails>(
      `/api/plugins/${encodeURIComponent(id)}${version ? `/${encodeURIComponent(version)}` : ""}`,
    ),
  validate: (form: FormData) => call<Check>("/api/validate", { method: "POST", body: form }),
  register: (form: FormData) => call<Check>("/api/plugins", { method: "POST", body: form }),
  run: (request: { id: string; version: string; entry: string; params: unknown; limits: Partial<Limits> }) =>
    call<RunResult>("/api/run", json(request)),
};
