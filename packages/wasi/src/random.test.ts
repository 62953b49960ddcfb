import { describe, expect, test } from "vitest";
import { secureRandom, seededRandom } from "./random.js";

describe("random", () => {
  test("seeded streams are deterministic per seed and differ between seeds", () => {
    const take = (seed: number, n: number) => {
      const bytes = new Uint8Array(n);
      seededRandom(seed)(bytes);
      return bytes;
    };
    expect(take(42, 64)).toEqual(take(42, 64));
    expect(take(42, 64)).not.toEqual(take(43, 64));
    // Odd lengths are filled completely, and the stream continues where it stopped.
    const source = seededRandom(7);
    const a = new Uint8Array(5);
    const b = new Uint8Array(3);
    source(a);
    source(b);
    expect(a.some((v) => v !== 0)).toBe(true);
    expect(take(0, 1024).filter((v) => v === 0).length).toBeLessThan(20);
  });

  test("seeded output is pinned (xoshiro128** from SplitMix64), so a change of algorithm is caught", () => {
    const bytes = new Uint8Array(8);
    seededRandom(42)(bytes);
    expect(Buffer.from(bytes).toString("hex")).toMatchInlineSnapshot(`"2a5ae869d0fa43f8"`);
  });

  test("secure random fills more than one 64 KiB crypto chunk", () => {
    const bytes = new Uint8Array(200_000);
    secureRandom(bytes);
    expect(bytes.subarray(150_000).some((v) => v !== 0)).toBe(true);
  });
});
