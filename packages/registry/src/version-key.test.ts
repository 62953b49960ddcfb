import fc from "fast-check";
import semver from "semver";
import { describe, expect, it } from "vitest";
import { precedenceKey } from "./version-key.js";

const identifier = fc.oneof(
  fc.nat({ max: 10_000 }).map(String),
  fc.stringMatching(/^[a-zA-Z-][0-9a-zA-Z-]{0,5}$/),
);
const version = fc
  .tuple(
    fc.nat({ max: 30 }),
    fc.nat({ max: 30 }),
    fc.nat({ max: 30 }),
    fc.array(identifier, { maxLength: 3 }),
  )
  .map(([a, b, c, pre]) => `${a}.${b}.${c}${pre.length > 0 ? `-${pre.join(".")}` : ""}`)
  .filter((v) => semver.valid(v) === v);

const sign = (n: number) => (n < 0 ? -1 : n > 0 ? 1 : 0);
const byteCompare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

describe("precedenceKey", () => {
  it("orders exactly like semver.compare", () => {
    fc.assert(
      fc.property(version, version, (a, b) => {
        expect(byteCompare(precedenceKey(a), precedenceKey(b))).toBe(sign(semver.compare(a, b)));
      }),
      { numRuns: 2000 },
    );
  });

  it("handles the spec's own precedence example", () => {
    const ordered = [
      "1.0.0-alpha",
      "1.0.0-alpha.1",
      "1.0.0-alpha.beta",
      "1.0.0-beta",
      "1.0.0-beta.2",
      "1.0.0-beta.11",
      "1.0.0-rc.1",
      "1.0.0",
      "2.0.0",
      "2.1.0",
      "10.0.0",
    ];
    const keys = ordered.map(precedenceKey);
    expect([...keys].sort(byteCompare)).toEqual(keys);
  });

  it("rejects non-versions", () => {
    expect(() => precedenceKey("1.0")).toThrow(TypeError);
  });
});
