// Writes schema.json from the zod source, through the built package (Node 20 cannot run the .ts source).
// Run `pnpm run generate-schema` (it builds first); src/json-schema.test.ts fails when the file drifts.
import { writeFileSync } from "node:fs";
import { manifestJsonSchema } from "../dist/index.js";

const target = new URL("../schema.json", import.meta.url);
writeFileSync(target, `${JSON.stringify(manifestJsonSchema, null, 2)}\n`);
console.log(`wrote ${target.pathname}`);
