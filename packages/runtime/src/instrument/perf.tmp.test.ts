import { readFileSync } from "node:fs";
import { it } from "vitest";
import { FuelMeter, instrumentModule } from "./index.js";
import { wat } from "./wat.testutil.js";

it("perf", async () => {
  const args: Record<string, number> = { fib: 32, sort: 250000, hash: 300, matmul: 200 };
  for (const k of ["fib", "sort", "hash", "matmul"]) {
    const bytes = await wat(readFileSync(new URL(`./fixtures/${k}.wat`, import.meta.url), "utf8"));
    const ins = instrumentModule(bytes, { maxMemoryPages: 100, maxTableElements: 100 });
    const meter = new FuelMeter();
    const raw = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports.run as (
      n: number,
    ) => number;
    if (process.env.NOCALL) {
      const b = ins.bytes;
      for (let i = 0; i < b.length - 6; i++)
        if (
          b[i] === 0x53 &&
          b[i + 1] === 0x04 &&
          b[i + 2] === 0x40 &&
          b[i + 3] === 0x10 &&
          b[i + 4] === 0x00 &&
          b[i + 5] === 0x0b
        ) {
          b[i + 3] = 0x00;
          b[i + 4] = 0x01;
        }
    }
    const inst = new WebAssembly.Instance(new WebAssembly.Module(ins.bytes), meter.imports as never).exports
      .run as (n: number) => number;
    const time = (f: () => unknown) => {
      let best = Infinity;
      for (let i = 0; i < 8; i++) {
        const t = performance.now();
        f();
        best = Math.min(best, performance.now() - t);
      }
      return best;
    };
    let r1: unknown,
      r2: unknown,
      fuel = 0;
    const a = time(() => (r1 = raw(args[k]!)));
    const b = time(() => {
      if (process.env.NOCALL) (meter as unknown as { slice: number }).slice = 1e15;
      meter.begin({ budget: 1e15, sliceSize: process.env.NOCALL ? 1e15 : undefined });
      r2 = inst(args[k]!);
      fuel = meter.end();
    });
    console.log(k, a.toFixed(1), b.toFixed(1), (b / a).toFixed(2), r1 === r2, fuel);
  }
});
