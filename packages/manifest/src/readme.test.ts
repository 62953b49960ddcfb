import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import * as manifestPackage from "./index.js";

it("the README example runs and prints what its comments say", () => {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
  const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(example).toBeDefined();
  // The example imports from the package; run it against the source with the import turned into a lookup.
  const body = example!.replace(/import \{([^}]+)\} from "@wasm-sandbox\/manifest";/, "const {$1} = pkg;");
  expect(body).not.toContain("import ");
  const logged: unknown[][] = [];
  new Function("pkg", "console", body)(manifestPackage, { log: (...args: unknown[]) => logged.push(args) });
  expect(logged).toEqual([[256, true], [true]]);
});
