// Decodes one module fully (code section included) with @webassemblyjs/wasm-parser and reports the time.
// Runs in a worker so the bench can stop it: full decoding is slow and can exhaust memory.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { parentPort, workerData } from "node:worker_threads";

const require = createRequire(import.meta.url);
const { decode } = require("@webassemblyjs/wasm-parser");
const bytes = readFileSync(workerData.path);
const started = performance.now();
decode(bytes, {});
parentPort.postMessage({ ms: performance.now() - started });
