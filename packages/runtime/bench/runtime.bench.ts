// The runtime's headline numbers, each next to its peer measured in this same run:
// call overhead (raw wasm, Extism), json echo (Extism), cold start (plain compile + instantiate),
// and how soon an infinite loop is stopped after its deadline.
import { createPlugin as createExtismPlugin } from "@extism/extism";
import { loadExampleWasmSync } from "@wasm-sandbox/example-plugins";
import { clearModuleCaches, createPlugin } from "../src/index.js";
import { bigModule } from "./big-module.js";
import { formatNs, table, timeAsync, timeAsyncRounds, timeOnce, timeSync } from "./measure.js";

type Fn = (...args: unknown[]) => unknown;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

async function callOverhead(): Promise<void> {
  const addBytes = loadExampleWasmSync("numeric");
  const raw = new WebAssembly.Instance(new WebAssembly.Module(addBytes as Uint8Array<ArrayBuffer>))
    .exports as Record<string, Fn>;
  const rawAdd = raw.add!;
  const warm = createPlugin(undefined, addBytes, { keepAlive: true });
  const fresh = createPlugin(undefined, addBytes);
  const newExtism = () =>
    createExtismPlugin(
      { wasm: [{ data: loadExampleWasmSync("extism-add") }] },
      { useWasi: false, runInWorker: false },
    );
  const extism = await newExtism();
  const extismInput = new Uint8Array([5, 0, 0, 0, 3, 0, 0, 0]);
  // Check all agree before timing anything.
  const extismResult = (await extism.call("add", extismInput))!.getInt32(0, true);
  if (rawAdd(5, 3) !== 8 || warm.executeSync("add", [5, 3]) !== 8 || extismResult !== 8)
    throw new Error("add disagrees");

  const args = [5, 3];
  const rawT = timeSync(() => rawAdd(5, 3));
  const syncT = timeSync(() => warm.executeSync("add", args));
  const asyncT = await timeAsync(() => warm.execute("add", args));
  const freshT = await timeAsync(() => fresh.execute("add", args), 100, 3);
  const extismT = await timeAsyncRounds(newExtism, (p) => p.call("add", extismInput));
  console.log("Call overhead, warm instance, add(i32, i32) (per call; lower is better)\n");
  table(
    ["runner", "per call", "vs raw wasm", "Extism / this"],
    [
      ["raw WebAssembly export", formatNs(rawT.ns), "1.00×", ratio(extismT.ns, rawT.ns)],
      [
        "plugin.executeSync (keepAlive)",
        formatNs(syncT.ns),
        ratio(syncT.ns, rawT.ns),
        ratio(extismT.ns, syncT.ns),
      ],
      [
        "await plugin.execute (keepAlive)",
        formatNs(asyncT.ns),
        ratio(asyncT.ns, rawT.ns),
        ratio(extismT.ns, asyncT.ns),
      ],
      [
        "await plugin.execute (fresh instance per call, default)",
        formatNs(freshT.ns),
        ratio(freshT.ns, rawT.ns),
        ratio(extismT.ns, freshT.ns),
      ],
      ["@extism/extism plugin.call (foreground)", formatNs(extismT.ns), ratio(extismT.ns, rawT.ns), "1.00×"],
    ],
  );
  await extism.close();
}

async function jsonEcho(): Promise<void> {
  const echo = createPlugin(undefined, loadExampleWasmSync("echo"), {
    keepAlive: true,
    limits: { maxOutput: "1MiB" },
  });
  const newExtism = () =>
    createExtismPlugin(
      { wasm: [{ data: loadExampleWasmSync("extism-echo") }] },
      { useWasi: false, runInWorker: false },
    );
  const extism = await newExtism();
  const rows: string[][] = [];
  for (const size of [1024, 64 * 1024]) {
    // The same JSON document both ways: our params array is what the guest reads as input.
    const params = ["x".repeat(size - 4)];
    const text = JSON.stringify(params);
    const ours = await timeAsync(() => echo.execute("echo", params), 150, 3);
    const theirs = await timeAsyncRounds(
      newExtism,
      async (p) => JSON.parse((await p.call("echo", text))!.text()),
      size > 4096 ? 1000 : 5000,
    );
    const check = JSON.parse((await extism.call("echo", text))!.text());
    if (JSON.stringify(await echo.execute("echo", params)) !== text || JSON.stringify(check) !== text) {
      throw new Error("echo disagrees");
    }
    rows.push([`${text.length} B`, formatNs(ours.ns), formatNs(theirs.ns), ratio(theirs.ns, ours.ns)]);
  }
  console.log("json ABI echo, JSON in and parsed JSON out (per call)\n");
  table(["payload", "plugin.execute", "@extism/extism call + JSON.parse", "Extism / this"], rows);
  await extism.close();
}

function coldStart(): void {
  const rows: string[][] = [];
  for (const size of [1024 * 1024, 12 * 1024 * 1024]) {
    const bytes = bigModule(size);
    const plain = timeOnce(() => {
      const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>));
      if ((instance.exports.add as Fn)(5, 3) !== 8) throw new Error("plain add failed");
    }, 5);
    const ours = timeOnce(() => {
      clearModuleCaches();
      if (createPlugin(undefined, bytes).executeSync("add", [5, 3]) !== 8)
        throw new Error("sandbox add failed");
    }, 5);
    const cached = timeOnce(() => {
      if (createPlugin(undefined, bytes).executeSync("add", [5, 3]) !== 8)
        throw new Error("sandbox add failed");
    }, 5);
    rows.push([
      `${(bytes.length / 1024 / 1024).toFixed(1)} MB`,
      `${plain.toFixed(1)} ms`,
      `${ours.toFixed(1)} ms`,
      ratio(ours, plain),
      `${cached.toFixed(2)} ms`,
    ]);
  }
  console.log("Cold start: bytes -> first call of add (median of 5)\n");
  table(
    [
      "module",
      "compile + instantiate",
      "sandbox (inspect, instrument, compile)",
      "sandbox / plain",
      "sandbox, cached module",
    ],
    rows,
  );
}

function deadlineOvershoot(): void {
  const hog = createPlugin(undefined, loadExampleWasmSync("fuel-hog"), {
    limits: { fuel: Number.MAX_SAFE_INTEGER, timeout: 50 },
  });
  const overshoots: number[] = [];
  for (let i = 0; i < 10; i++) {
    const start = performance.now();
    try {
      hog.executeSync("spin");
    } catch {
      overshoots.push(performance.now() - start - 50);
    }
  }
  overshoots.sort((a, b) => a - b);
  console.log("Infinite loop on the main thread, timeout 50 ms: time past the deadline (10 runs)\n");
  table(
    ["median", "max"],
    [[`${overshoots[5]!.toFixed(2)} ms`, `${overshoots[overshoots.length - 1]!.toFixed(2)} ms`]],
  );
}

await callOverhead();
await jsonEcho();
coldStart();
deadlineOvershoot();
