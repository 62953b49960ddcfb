import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { bundle } from "../scripts/bundle.mjs";
import { openRegistry } from "../src/registry.js";
import { tempDir } from "./helpers.js";

const here = dirname(fileURLToPath(import.meta.url));
const childScript = join(here, "..", "build", "crash-child.mjs");

beforeAll(async () => {
  // The child runs plain Node, so it is bundled from source first.
  await bundle(join(here, "crash-child.ts"), childScript);
}, 60_000);

/** Children still running; a failed test must not leave one behind. */
const children = new Set<ChildProcess>();
afterEach(() => {
  for (const child of children) child.kill("SIGKILL");
});

interface KillPlan {
  /** Kill this long after the child is ready... */
  delayMs: number;
  /** ...or as soon as it has acknowledged this many registrations, whichever comes first. */
  afterRegistrations?: number;
  mode?: "mixed" | "register-only";
}

/**
 * Starts the child and kills it with SIGKILL as the plan says. Records in `acknowledged` what the child
 * confirmed: true = registered, false = removed; an unregistration cut short is unknown.
 */
function runAndKill(
  path: string,
  seed: number,
  plan: KillPlan,
  acknowledged: Map<string, boolean>,
): Promise<number> {
  const { delayMs, afterRegistrations = Number.POSITIVE_INFINITY, mode = "mixed" } = plan;
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(
      process.execPath,
      [childScript, path, String(seed), mode, String(process.pid)],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    children.add(child);
    child.on("exit", () => children.delete(child));
    let registrations = 0;
    let buffer = "";
    let stderr = "";
    let timer: NodeJS.Timeout | undefined;
    child.stderr!.on("data", (d) => {
      stderr += d;
    });
    child.stdout!.on("data", (d) => {
      buffer += d;
      const lines = buffer.split("\n");
      buffer = lines.pop()!;
      for (const line of lines) {
        if (line === "ready") timer = setTimeout(() => child.kill("SIGKILL"), delayMs);
        const [what, name] = line.split(" ");
        if (what === "registered") {
          acknowledged.set(name!, true);
          if (++registrations >= afterRegistrations) child.kill("SIGKILL");
        }
        if (what === "unregistering") acknowledged.delete(name!);
        if (what === "unregistered") acknowledged.set(name!, false);
      }
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (signal === "SIGKILL") resolve(registrations);
      else reject(new Error(`child exited with ${code}: ${stderr}`));
    });
  });
}

/** integrity_check, foreign keys, every version's blob present and verified, index rows in step, no
 * orphan blobs, and every acknowledged change visible through the registry. */
function checkConsistency(path: string, acknowledged: ReadonlyMap<string, boolean>): void {
  const raw = new Database(path);
  expect(raw.pragma("integrity_check", { simple: true })).toBe("ok");
  expect(raw.pragma("foreign_key_check")).toEqual([]);
  const rows = raw
    .prepare(
      "SELECT v.plugin_id, v.version, v.wasm_digest, b.digest AS blob, b.bytes FROM versions v LEFT JOIN blobs b ON b.digest = v.wasm_digest",
    )
    .all() as {
    plugin_id: string;
    version: string;
    wasm_digest: string;
    blob: string | null;
    bytes: Uint8Array | null;
  }[];
  for (const row of rows) {
    expect(row.blob, `${row.plugin_id}@${row.version} has its blob`).toBe(row.wasm_digest);
    expect(createHash("sha256").update(row.bytes!).digest("hex")).toBe(row.wasm_digest);
  }
  const count = (sql: string) => raw.prepare(sql).pluck().get();
  expect(count("SELECT count(*) FROM versions_fts")).toBe(rows.length);
  expect(count("SELECT count(*) FROM blobs WHERE digest NOT IN (SELECT wasm_digest FROM versions)")).toBe(0);
  raw.close();

  const registry = openRegistry({ path });
  const present = new Set(registry.listPlugins().flatMap((p) => p.versions.map((v) => `${p.id}@${v}`)));
  for (const [name, expected] of acknowledged) expect(present.has(name), name).toBe(expected);
  for (const name of present) {
    const [id, version] = name.split("@") as [string, string];
    expect(registry.getWasm(id, version).length).toBeGreaterThan(0);
    expect(registry.getManifest(id, version).version).toBe(version);
  }
  registry.close();
}

describe("crash safety", () => {
  it("SIGKILL at random moments never corrupts the registry or loses an acknowledged change", async () => {
    const path = join(tempDir(), "crash.db");
    const acknowledged = new Map<string, boolean>(); // id@version -> present
    let total = 0;
    for (let round = 0; round < 12; round++) {
      const delay = 20 + ((round * 137) % 400);
      total += await runAndKill(path, 1000 + round, { delayMs: delay }, acknowledged);

      checkConsistency(path, acknowledged);
    }
    // The children really did work between kills (how much depends on the machine's speed).
    expect(total).toBeGreaterThan(0);
  }, 120_000);

  it("two processes registering at once both succeed (WAL, busy timeout), nothing lost", async () => {
    const path = join(tempDir(), "concurrent.db");
    openRegistry({ path }).close(); // create the schema first so the children race only on writes
    const acknowledged = new Map<string, boolean>();
    // Each child registers 8 plugins while the other writes; a lock timeout would make it exit with an
    // error, which runAndKill reports as a failure.
    const plan: KillPlan = { delayMs: 30_000, afterRegistrations: 8, mode: "register-only" };
    const counts = await Promise.all([
      runAndKill(path, 2001, plan, acknowledged),
      runAndKill(path, 2002, plan, acknowledged),
    ]);
    // SIGKILL is asynchronous: a child may finish one more registration before it dies.
    for (const count of counts) expect(count).toBeGreaterThanOrEqual(8);
    checkConsistency(path, acknowledged);
  }, 60_000);
});
