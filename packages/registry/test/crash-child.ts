import { openRegistry } from "../src/registry.js";
import { buildModule } from "./module-builder.js";

/**
 * Registers (and now and then unregisters) plugins in a loop until killed. After each call returns it
 * prints what is now committed, so the parent can check that nothing acknowledged was lost.
 * Usage: node crash-child.mjs <db path> <seed> <mixed|register-only> <parent pid>
 */
const [path, seedText, mode, parentText] = process.argv.slice(2);
let seed = Number(seedText);
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};

const registry = openRegistry({ path: path! });
const base = registry.listPlugins().reduce((n, p) => n + p.versions.length, 0);
process.stdout.write("ready\n");
// Failsafes: the parent kills this process, but if the parent dies first (a synchronous loop never sees
// its pipe close) the child must not run on and fill the disk: it stops after 500 registrations, after
// 30 s, or as soon as the parent process is gone.
const parentPid = Number(parentText);
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const deadline = Date.now() + 30_000;
for (let i = 0; i < 500; i++) {
  if (!alive(parentPid) || Date.now() > deadline) process.exit(3);
  const id = `crash-${i % 7}`;
  const version = `${seed % 1000}.${base + i}.0`;
  // Sizes up to ~600 KB so some commits span many pages; every fifth module shares bytes with others.
  const wasm = buildModule({ returns: i % 5 === 0 ? 0 : i, minSize: Math.floor(random() * 600_000) });
  const dependencies =
    i > 0 ? [{ name: `crash-${(i + 1) % 7}`, versionRequirement: "*", optional: true }] : [];
  registry.registerPlugin(
    {
      id,
      name: `Crash ${i}`,
      version,
      description: `iteration ${i}`,
      tags: ["crash"],
      entryPoints: [{ functionName: "run" }],
      dependencies,
    },
    wasm,
  );
  process.stdout.write(`registered ${id}@${version}\n`);
  if (mode !== "register-only" && random() < 0.2) {
    const victim = registry.listPlugins()[0];
    if (victim) {
      // Announced first: if the kill lands inside this call, the parent cannot know the outcome.
      process.stdout.write(`unregistering ${victim.id}@${victim.versions[0]}\n`);
      registry.unregisterPlugin(victim.id, victim.versions[0], { force: true });
      process.stdout.write(`unregistered ${victim.id}@${victim.versions[0]}\n`);
    }
  }
}
