import * as fs from "node:fs";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it, onTestFinished } from "vitest";
import * as runtimePackage from "../src/index.js";
import { exampleManifest, wasm } from "./helpers.js";

it("the README example runs and prints what its comments say", async () => {
  const readme = fs.readFileSync(new URL("../README.md", import.meta.url), "utf8");
  const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(example).toBeDefined();
  // The example imports from the package and node:fs; run it against the source with the imports turned
  // into lookups, in a directory holding the files it names.
  const body = example!
    .replace(/import \{([^}]+)\} from "@wasm-sandbox\/runtime";/, "const {$1} = pkg;")
    .replace(/import \{([^}]+)\} from "node:fs";/, "const {$1} = fs;");
  expect(body).not.toContain("import ");
  const dir = mkdtempSync(join(tmpdir(), "runtime-readme-"));
  const cwd = process.cwd();
  onTestFinished(() => {
    process.chdir(cwd);
    rmSync(dir, { recursive: true, force: true });
  });
  for (const name of ["calculator", "host-call", "text-processor"]) {
    writeFileSync(join(dir, `${name}.wasm`), wasm(name));
  }
  writeFileSync(join(dir, "text-processor.json"), JSON.stringify(exampleManifest("text-processor")));
  process.chdir(dir);
  const logged: unknown[][] = [];
  const AsyncFunction = (async () => {}).constructor as new (
    ...args: string[]
  ) => (...values: unknown[]) => Promise<void>;
  await new AsyncFunction("pkg", "fs", "console", body)(runtimePackage, fs, {
    log: (...args: unknown[]) => logged.push(args),
  });
  expect(logged).toEqual([[8], ["hello Ada"], [{ words: 2, characters: 9, lines: 1 }, true]]);
});
