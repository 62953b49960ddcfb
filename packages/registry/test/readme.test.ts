import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { bundle } from "../scripts/bundle.mjs";
import { tempDir } from "./helpers.js";
import { buildModule } from "./module-builder.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

it("the README example runs as written", async () => {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const example = /```ts\n([\s\S]*?)```/.exec(readme)![1]!;
  expect(example.split("\n").filter((l) => l.trim() !== "").length).toBeLessThanOrEqual(11);
  const source = join(root, "build", "readme-example.ts");
  mkdirSync(dirname(source), { recursive: true });
  writeFileSync(
    source,
    example.replace('"@wasm-sandbox/registry"', JSON.stringify(join(root, "src", "index.ts"))),
  );
  const script = join(root, "build", "readme-example.mjs");
  await bundle(source, script);
  const cwd = tempDir();
  writeFileSync(join(cwd, "hello.wasm"), buildModule());
  const out = execFileSync(process.execPath, [script], { cwd, encoding: "utf8" }).split("\n");
  expect(out[0]).toBe("1.0.0 true 1");
}, 60_000);
