import type { PluginVersionInfo } from "../types.js";

/** A row of the `versions` table. */
export interface VersionRow {
  rowid: number;
  plugin_id: string;
  version: string;
  precedence: string;
  name: string;
  description: string;
  author: string | null;
  tags: string;
  capabilities: string;
  dependencies: string;
  manifest: string;
  manifest_digest: string;
  wasm_digest: string;
  wasm_size: number;
  warnings: string;
  registered_at: string;
}

/** The columns every listing selects (everything but the manifest and the warnings). */
export const INFO_COLUMNS =
  "v.plugin_id, v.version, v.name, v.description, v.author, v.tags, v.capabilities, v.wasm_digest, v.wasm_size, v.registered_at";

export type InfoRow = Pick<
  VersionRow,
  | "plugin_id"
  | "version"
  | "name"
  | "description"
  | "author"
  | "tags"
  | "capabilities"
  | "wasm_digest"
  | "wasm_size"
  | "registered_at"
>;

export function toInfo(row: InfoRow): PluginVersionInfo {
  return {
    id: row.plugin_id,
    version: row.version,
    name: row.name,
    description: row.description,
    author: row.author ?? undefined,
    tags: JSON.parse(row.tags) as string[],
    capabilities: JSON.parse(row.capabilities) as string[],
    digest: row.wasm_digest,
    size: row.wasm_size,
    registeredAt: row.registered_at,
  };
}
