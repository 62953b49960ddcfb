import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { openRegistry } from "../src/registry.js";
import { buildModule } from "../test/module-builder.js";
import { allPass, measure, type Row, table } from "./measure.js";

/**
 * The registry's performance targets, each next to a peer measured in the same run:
 * - search over 10,000 versions (text + filters) vs. a plain SQL LIKE scan of the same table;
 * - dependency resolution over 1,000 plugins, 10 levels deep vs. reading the same graph with raw SQL;
 * - registering a 1 MB module vs. the floor: sha256 + WebAssembly.validate + one raw INSERT.
 */
const WORDS =
  "image text audio video parse render resize compress encrypt hash json csv xml markdown template search index cache queue stream filter sort merge diff patch lint format translate detect classify".split(
    " ",
  );
const AUTHORS = ["Pixel Co", "Acme", "Globex", "Initech", "Umbrella"];
const dir = mkdtempSync(join(tmpdir(), "registry-bench-"));
// Removed however the bench ends (the data sets are hundreds of megabytes).
process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
const rows: Row[] = [];
const engine = (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly;

/** The LIKE peer of the worst-case search: every version whose name, description or tags hold "tool". */
function raw2(path: string) {
  return new Database(path, { readonly: true }).prepare(
    "SELECT plugin_id, version FROM versions WHERE name LIKE '%tool%' OR description LIKE '%tool%' OR tags LIKE '%tool%'",
  );
}

function pick<T>(list: readonly T[], i: number): T {
  return list[i % list.length]!;
}

// --- search over 10,000 versions ---------------------------------------------------------------------------
{
  const path = join(dir, "search.db");
  const registry = openRegistry({ path });
  const wasm = buildModule();
  for (let p = 0; p < 1000; p++) {
    for (let v = 0; v < 10; v++) {
      registry.registerPlugin(
        {
          id: `plugin-${p}`,
          name: `${pick(WORDS, p)} ${pick(WORDS, p * 7 + 3)} tool`,
          version: `1.${v}.0`,
          description: `Does ${pick(WORDS, p * 3 + v)} and ${pick(WORDS, p * 11 + 1)} for ${pick(WORDS, p + v * 5)} data`,
          author: pick(AUTHORS, p),
          tags: [pick(WORDS, p * 13), pick(WORDS, p * 17 + v)],
          entryPoints: [{ functionName: "run" }],
          permissions:
            p % 3 === 0 ? { network: { denyAll: false, allowedDomains: ["api.example.com"] } } : {},
        },
        wasm,
      );
    }
  }
  const queries = WORDS.map((word, i) => ({
    text: `${word} ${pick(WORDS, i * 7 + 3)}`,
    author: pick(AUTHORS, i),
    minVersion: "1.3.0",
    requiredCapabilities: i % 2 === 0 ? ["network"] : [],
  }));
  let hits = 0;
  const ours = measure(300, (i) => {
    hits += registry.searchPlugins(pick(queries, i)).length;
  });
  // Worst case: a word in every one of the 10,000 versions ("tool" is in every name).
  const everywhere = measure(100, () => registry.searchPlugins({ text: "tool" }));
  const raw = new Database(path, { readonly: true });
  const like = raw.prepare(
    `SELECT plugin_id, version FROM versions
     WHERE (name LIKE @a OR description LIKE @a OR tags LIKE @a) AND (name LIKE @b OR description LIKE @b OR tags LIKE @b)
       AND author = @author AND precedence >= @min`,
  );
  const minKey = raw
    .prepare("SELECT precedence FROM versions WHERE version = '1.3.0' LIMIT 1")
    .pluck()
    .get() as string;
  const peerStats = measure(300, (i) => {
    const [a, b] = pick(queries, i).text.split(" ");
    like.all({ a: `%${a}%`, b: `%${b}%`, author: pick(AUTHORS, i), min: minKey });
  });
  raw.close();
  registry.close();
  if (hits === 0) throw new Error("the search bench found nothing: the data set is wrong");
  rows.push({
    operation: "searchPlugins, 10,000 versions (text + author + minVersion + capability)",
    ours,
    targetMs: 5,
    peer: "SQL LIKE scan, same filters",
    peerStats,
  });
  const anyTool = raw2(path);
  rows.push({
    operation: "searchPlugins, a word found in all 10,000 versions (worst case)",
    ours: everywhere,
    peer: "SQL LIKE scan for the word",
    peerStats: measure(100, () => anyTool.all()),
  });
  anyTool.database.close();
}

// --- dependency resolution: 1,000 plugins, 10 levels ---------------------------------------------------------
{
  const path = join(dir, "deps.db");
  const registry = openRegistry({ path });
  const wasm = buildModule();
  const levels = 10;
  const perLevel = 111; // level 0 is the single root; 1 + 9 * 111 = 1,000 plugins
  const id = (level: number, n: number) => (level === 0 ? "root" : `dep-${level}-${n}`);
  for (let level = levels - 1; level >= 0; level--) {
    const count = level === 0 ? 1 : perLevel;
    for (let n = 0; n < count; n++) {
      const dependencies =
        level === levels - 1
          ? []
          : Array.from({ length: level === 0 ? 20 : 3 }, (_, k) => ({
              name: id(level + 1, (n * 7 + k * 8) % perLevel),
              versionRequirement: "^1.0.0",
            }));
      for (const version of ["1.0.0", "1.1.0", "2.0.0"]) {
        registry.registerPlugin(
          {
            id: id(level, n),
            name: id(level, n),
            version,
            entryPoints: [{ functionName: "run" }],
            dependencies,
          },
          wasm,
        );
      }
    }
  }
  const check = registry.getDependencies("root");
  if (!check.ok || check.order.length < 500)
    throw new Error(`the dependency bench graph is wrong: ${check.order.length} plugins`);
  const ours = measure(100, () => registry.getDependencies("root"));
  // Cold: another connection commits before every call, so the resolver's graph cache starts empty.
  const writer = new Database(path);
  const cold = measure(
    50,
    () => registry.getDependencies("root"),
    5,
    (i) => {
      writer.pragma(`user_version = ${writer.pragma("user_version", { simple: true })}`);
      writer.prepare("UPDATE schema_migrations SET applied_at = ? WHERE version = 1").run(`bench ${i}`);
    },
  );
  writer.close();
  const raw = new Database(path, { readonly: true });
  const deps = raw
    .prepare(
      "SELECT d.name FROM dependencies d JOIN versions v ON v.rowid = d.version_rowid WHERE v.plugin_id = ? AND v.version = '1.1.0'",
    )
    .pluck();
  const peerStats = measure(100, () => {
    // Breadth-first walk of the same edges, no semver and no choice of versions.
    const seen = new Set(["root"]);
    const queue = ["root"];
    for (let head = 0; head < queue.length; head++) {
      for (const name of deps.all(queue[head]) as string[]) {
        if (!seen.has(name)) {
          seen.add(name);
          queue.push(name);
        }
      }
    }
  });
  raw.close();
  registry.close();
  rows.push({
    operation: `getDependencies, 1,000 plugins x 3 versions, depth 10 (${check.order.length} resolved), graph cached`,
    ours,
    targetMs: 20,
    peer: "raw SQL BFS of the same edges",
    peerStats,
  });
  rows.push({
    operation: "getDependencies, same graph, cold (after another process's commit)",
    ours: cold,
    targetMs: 20,
    peer: "raw SQL BFS of the same edges",
    peerStats,
  });
}

// --- registering a 1 MB module ---------------------------------------------------------------------------------
{
  const path = join(dir, "register.db");
  const registry = openRegistry({ path });
  const runs = 40;
  const warmup = 5;
  const modules = Array.from({ length: runs + warmup }, (_, i) => {
    const m = buildModule({ minSize: 1024 * 1024, returns: i });
    return m;
  });
  const ours = measure(
    runs,
    (i) =>
      registry.registerPlugin(
        { id: "big", name: "Big", version: `1.0.${i}`, entryPoints: [{ functionName: "run" }] },
        modules[i]!,
      ),
    0,
  );
  registry.close();
  const raw = new Database(join(dir, "peer.db"));
  raw.pragma("journal_mode = WAL");
  raw.pragma("synchronous = NORMAL");
  raw.exec("CREATE TABLE blobs (digest TEXT PRIMARY KEY, bytes BLOB)");
  const insert = raw.prepare("INSERT INTO blobs VALUES (?, ?)");
  const peerStats = measure(
    runs,
    (i) => {
      const bytes = modules[(i + 1) % modules.length]!;
      engine.validate(bytes);
      insert.run(createHash("sha256").update(bytes).digest("hex"), bytes);
    },
    0,
  );
  raw.close();
  rows.push({
    operation: "registerPlugin, 1 MB module (file db, WAL)",
    ours,
    targetMs: 20,
    peer: "sha256 + WebAssembly.validate + INSERT",
    peerStats,
  });
}

console.log(`\n@wasm-sandbox/registry bench (Node ${process.version}, ${new Date().toISOString()})\n`);
console.log(table(rows));
if (!allPass(rows)) process.exitCode = 1;
