// The runtime's headline numbers, each next to its peer measured in this same run:
// call overhead (raw wasm, Extism), json echo (Extism), cold start (plain compile + instantiate),
// and how soon an infinite loop is stopped after its deadline.
import { createPlugin as createExtismPlugin } from "@extism/extism";
import { loadExampleWasmSync } from "@wasm-sandbox/example-plugins";
import { clearModuleCaches, createPlugin } from "../src/index.js";
import { bigModule } from "./big-module.js";
import { formatNs, interleaved, table, timeOnce } from "./measure.js";

type Fn = (...args: unknown[]) => unknown;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

const same =
  <T>(subject: T) =>
  () =>
    subject;

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
  const extismInput = new Uint8Array([5, 0, 0, 0, 3, 0, 0, 0]);
  // Check all agree before timing anything.
  const extism = await newExtism();
  const extismBytes = (await extism.call("add", extismInput))!.bytes();
  const extismResult = new DataView(extismBytes.buffer, extismBytes.byteOffset).getInt32(0, true);
  await extism.close();
  if (rawAdd(5, 3) !== 8 || warm.executeSync("add", [5, 3]) !== 8 || extismResult !== 8)
    throw new Error("add disagrees");

  const args = [5, 3];
  const t = await interleaved([
    { name: "raw", setup: same(rawAdd), fn: (f: Fn) => f(5, 3), async: false, calls: 200_000 },
    {
      name: "sync",
      setup: same(warm),
      fn: (p: typeof warm) => p.executeSync("add", args),
      async: false,
      calls: 20_000,
    },
    {
      name: "async",
      setup: same(warm),
      fn: (p: typeof warm) => p.execute("add", args),
      async: true,
      calls: 20_000,
    },
    {
      name: "fresh",
      setup: same(fresh),
      fn: (p: typeof fresh) => p.execute("add", args),
      async: true,
      calls: 1000,
    },
    {
      name: "extism",
      setup: newExtism,
      fn: (p: Awaited<ReturnType<typeof newExtism>>) => p.call("add", extismInput),
      async: true,
      calls: 5000,
    },
  ]);
  const ns = (name: string) => t.get(name)!;
  console.log("Call overhead, warm instance, add(i32, i32) (per call, median of 9 interleaved rounds)\n");
  // each runner against raw wasm and against Extism (a runner against itself reads 1.00×)
  const row = (runner: string, key: string) => [
    runner,
    formatNs(ns(key)),
    ratio(ns(key), ns("raw")),
    ratio(ns("extism"), ns(key)),
  ];
  table(
    ["runner", "per call", "vs raw wasm", "Extism / this"],
    [
      row("raw WebAssembly export", "raw"),
      row("plugin.executeSync (keepAlive)", "sync"),
      row("await plugin.execute (keepAlive)", "async"),
      row("await plugin.execute (fresh instance per call, default)", "fresh"),
      row("@extism/extism plugin.call (foreground)", "extism"),
    ],
  );
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
  const rows: string[][] = [];
  for (const size of [1024, 64 * 1024]) {
    // The same work both ways: a JS value in, its JSON through the guest, a JS value out.
    const params = ["x".repeat(size - 4)];
    const text = JSON.stringify(params);
    const extism = await newExtism();
    const check = JSON.parse((await extism.call("echo", text))!.text());
    await extism.close();
    if (JSON.stringify(await echo.execute("echo", params)) !== text || JSON.stringify(check) !== text) {
      throw new Error("echo disagrees");
    }
    const calls = size > 4096 ? 200 : 2000;
    const t = await interleaved([
      {
        name: "ours",
        setup: same(echo),
        fn: (p: typeof echo) => p.execute("echo", params),
        async: true,
        calls,
      },
      {
        name: "extism",
        setup: newExtism,
        fn: async (p: Awaited<ReturnType<typeof newExtism>>) =>
          JSON.parse((await p.call("echo", JSON.stringify(params)))!.text()),
        async: true,
        calls,
      },
    ]);
    rows.push([
      `${text.length} B`,
      formatNs(t.get("ours")!),
      formatNs(t.get("extism")!),
      ratio(t.get("extism")!, t.get("ours")!),
    ]);
  }
  console.log("json ABI echo: JS value in, JSON through the guest, JS value out (per call)\n");
  table(["payload", "plugin.execute", "@extism/extism call (stringify + parse)", "Extism / this"], rows);
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
