#!/usr/bin/env node
// The README's two commands (`npm start`, `npm test`) land here. A fresh machine has Node and npm but no
// pnpm, so pnpm is run through npx at the exact version pinned in package.json's `packageManager`.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { packageManager } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const isCI = Boolean(process.env.CI);

function pnpm(args) {
  const result = spawnSync("npx", ["--yes", packageManager, ...args], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, npm_config_update_notifier: "false" },
  });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function step(label, args) {
  console.log(`\n==> ${label}: pnpm ${args.join(" ")}`);
  const status = pnpm(args);
  if (status !== 0) {
    console.error(`\n${label} failed (exit ${status}).`);
    process.exit(status);
  }
}

function install() {
  const lockfile = existsSync(join(root, "pnpm-lock.yaml"));
  step("install", ["install", ...(isCI && lockfile ? ["--frozen-lockfile"] : [])]);
}

/** Sums the vitest JSON reports each package leaves behind into the one closing line CI reads. */
function summarizeTests() {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const group of ["packages", "apps"]) {
    const dir = join(root, group);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      const report = join(dir, name, ".test-results", "results.json");
      if (!existsSync(report)) continue;
      const r = JSON.parse(readFileSync(report, "utf8"));
      passed += r.numPassedTests ?? 0;
      failed += r.numFailedTests ?? 0;
      skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    }
  }
  return { passed, failed, skipped };
}

const command = process.argv[2];
if (command === "start") {
  install();
  step("build", ["turbo", "run", "build", "--filter=@wasm-sandbox/playground..."]);
  process.exit(pnpm(["--filter", "@wasm-sandbox/playground", "start"]));
} else if (command === "test") {
  install();
  step("lint", ["biome", "check", "."]);
  step("build", ["turbo", "run", "build"]);
  step("typecheck", ["turbo", "run", "typecheck"]);
  step("published artifacts", ["turbo", "run", "check-publish"]);
  console.log("\n==> test: pnpm turbo run test");
  const status = pnpm(["turbo", "run", "test", "--concurrency=1", "--continue"]);
  const { passed, failed, skipped } = summarizeTests();
  console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
  process.exit(status !== 0 ? status : failed > 0 ? 1 : 0);
} else {
  console.error("usage: node scripts/workspace.mjs <start|test>");
  process.exit(2);
}
