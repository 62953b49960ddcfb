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

it("parseManifest reports the typo the README shows, with its suggestion", () => {
  const result = manifestPackage.parseManifest({
    id: "acme/text-tools",
    name: "Text tools",
    version: "1.0.0",
    entry_points: [{ functon_name: "upper" }],
  });
  expect(result.success).toBe(false);
  expect(result.success ? [] : result.issues).toContainEqual({
    code: "UNKNOWN_KEY",
    path: ["entryPoints", 0, "functon_name"],
    message: 'unknown key "functon_name"',
    suggestion: "Did you mean functionName?",
  });
});
