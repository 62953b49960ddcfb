import { ErrorCode, SandboxError } from "@wasm-sandbox/manifest";
import semver from "semver";
import { normalizeCapability } from "../capabilities.js";
import { toFtsMatch } from "../fts-query.js";
import type { PluginQuery } from "../types.js";
import { precedenceKey } from "../version-key.js";
import { INFO_COLUMNS } from "./rows.js";

export const DEFAULT_SEARCH_LIMIT = 50;
export const MAX_SEARCH_LIMIT = 1000;
const MAX_TEXT = 1024;
const MAX_FILTER_ITEMS = 64;

/** bm25 column weights: a word in the name counts most, then tags, then the description. */
const BM25 = "bm25(versions_fts, 10.0, 1.0, 5.0)";

export interface CompiledSearch {
  sql: string;
  params: Record<string, string | number>;
}

const KNOWN_KEYS = new Set(["text", "author", "tags", "minVersion", "requiredCapabilities", "limit"]);

function invalid(message: string, suggestion: string, context: Record<string, unknown> = {}): SandboxError {
  return new SandboxError(ErrorCode.INVALID_ARGUMENT, message, { suggestion, context });
}

function stringList(value: unknown, field: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    throw invalid(`PluginQuery.${field} must be an array of strings`, `Pass e.g. ${field}: ["network"].`);
  }
  if (value.length > MAX_FILTER_ITEMS) {
    throw invalid(`PluginQuery.${field} lists more than ${MAX_FILTER_ITEMS} items`, "Narrow the query.");
  }
  return value as string[];
}

/**
 * Compiles a query into one SQL statement with named parameters. User text only ever reaches SQLite as a
 * bound parameter, and reaches FTS5 as quoted plain words (see `toFtsMatch`). The result keeps, per
 * plugin, the highest version matching every filter, ordered by relevance.
 */
export function compileSearch(query: PluginQuery): CompiledSearch {
  if (typeof query !== "object" || query === null || Array.isArray(query)) {
    throw invalid(
      "searchPlugins expects a PluginQuery object",
      'Pass e.g. { text: "image", tags: ["png"] }.',
    );
  }
  for (const key of Object.keys(query)) {
    if (!KNOWN_KEYS.has(key)) {
      throw invalid(`Unknown PluginQuery field "${key}"`, `Use ${[...KNOWN_KEYS].join(", ")}.`, {
        field: key,
      });
    }
  }
  const params: Record<string, string | number> = {};
  const where: string[] = [];

  let match: string | undefined;
  if (query.text !== undefined) {
    if (typeof query.text !== "string")
      throw invalid("PluginQuery.text must be a string", "Pass words to look for.");
    if (query.text.length > MAX_TEXT) {
      throw invalid(`PluginQuery.text is longer than ${MAX_TEXT} characters`, "Search for a few words.");
    }
    match = toFtsMatch(query.text);
  }
  if (match !== undefined) {
    where.push("versions_fts MATCH @match");
    params.match = match;
  }
  if (query.author !== undefined) {
    if (typeof query.author !== "string")
      throw invalid("PluginQuery.author must be a string", "Pass the author's name.");
    where.push("v.author = @author COLLATE NOCASE");
    params.author = query.author;
  }
  if (query.minVersion !== undefined) {
    if (typeof query.minVersion !== "string" || semver.valid(query.minVersion) === null) {
      throw invalid(
        `PluginQuery.minVersion ${JSON.stringify(query.minVersion)} is not a semantic version`,
        'Pass a version such as "1.2.0".',
      );
    }
    where.push("v.precedence >= @minPrecedence");
    params.minPrecedence = precedenceKey(query.minVersion);
  }
  stringList(query.tags, "tags").forEach((tag, i) => {
    where.push(`EXISTS (SELECT 1 FROM tags t WHERE t.tag = @tag${i} AND t.version_rowid = v.rowid)`);
    params[`tag${i}`] = tag.trim();
  });
  stringList(query.requiredCapabilities, "requiredCapabilities").forEach((cap, i) => {
    where.push(
      `EXISTS (SELECT 1 FROM capabilities c WHERE c.capability = @cap${i} AND c.version_rowid = v.rowid)`,
    );
    params[`cap${i}`] = normalizeCapability(cap);
  });
  const limit = query.limit ?? DEFAULT_SEARCH_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SEARCH_LIMIT) {
    throw invalid(
      `PluginQuery.limit must be a whole number from 1 to ${MAX_SEARCH_LIMIT}`,
      "Pass e.g. limit: 20.",
    );
  }
  params.limit = limit;

  const from =
    match === undefined ? "versions v" : "versions_fts JOIN versions v ON v.rowid = versions_fts.rowid";
  const filter = where.length > 0 ? `WHERE ${where.join(" AND ")}` : "";
  // Step 1 picks each plugin's highest matching version without scoring (SQLite returns the row holding
  // max(precedence) for the bare rowid); step 2 computes bm25 only for those, one row per plugin, which
  // keeps a word found in every version from costing a score per version. The unary + keeps SQLite from
  // driving the full-text query by rowid (one MATCH per candidate); the match runs once and is filtered.
  const best = `
    SELECT v.rowid AS rowid, max(v.precedence) AS top
    FROM ${from}
    ${filter}
    GROUP BY v.plugin_id`;
  const sql =
    match === undefined
      ? `
    WITH best AS MATERIALIZED (${best})
    SELECT ${INFO_COLUMNS}, 0.0 AS score
    FROM best JOIN versions v ON v.rowid = best.rowid
    ORDER BY v.plugin_id
    LIMIT @limit`
      : `
    WITH best AS MATERIALIZED (${best})
    SELECT ${INFO_COLUMNS}, -${BM25} AS score
    FROM versions_fts JOIN versions v ON v.rowid = versions_fts.rowid
    WHERE versions_fts MATCH @match AND +versions_fts.rowid IN (SELECT rowid FROM best)
    ORDER BY score DESC, v.plugin_id
    LIMIT @limit`;
  return { sql, params };
}
