import { ErrorCode, SandboxError } from "@wasm-sandbox/manifest";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { securityAudit } from "../src/audit.js";
import { encodeU32 as leb } from "../src/binary/writer.js";
import { IssueCode } from "../src/codes.js";
import { inspectModule } from "../src/inspect.js";
import { validatePlugin } from "../src/validate-plugin.js";
import { validateWasm } from "../src/validate-wasm.js";
import { fixture, manifest, npmWasm, wasm } from "./helpers.js";

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/** Everything must come back as data: a result, never an exception, whatever the bytes. */
function checkAll(bytes: Uint8Array) {
  const validity = validateWasm(bytes);
  const info = inspectModule(bytes);
  const plugin = validatePlugin(manifest([{ functionName: "run" }]), bytes);
  const audit = securityAudit(manifest([{ functionName: "run" }]), bytes);
  expect(audit.securityScore).toBeGreaterThanOrEqual(0);
  expect(audit.securityScore).toBeLessThanOrEqual(100);
  if (!validity.valid) expect(audit.productionReady).toBe(false);
  return { validity, info, plugin };
}

describe("hostile input: every case returns issues in bounded time and memory", () => {
  it("empty input", () => {
    const { validity, info } = checkAll(new Uint8Array(0));
    expect(validity.issues.map((i) => i.code)).toEqual([IssueCode.EMPTY_MODULE]);
    expect(info.decoder).toBe("none");
    expect(info.issues[0]!.code).toBe(IssueCode.EMPTY_MODULE);
  });

  it("every truncation of a valid module", () => {
    const full = fixture("json");
    for (let n = 0; n < full.length; n++) {
      const bytes = full.subarray(0, n);
      const { validity, info } = checkAll(bytes);
      // Cut at a section boundary the rest is a valid (smaller) module, e.g. the bare 8-byte header.
      expect(validity.valid).toBe(wasm.validate(bytes));
      if (!validity.valid) {
        expect(validity.issues.length).toBeGreaterThan(0);
        expect(info.issues.some((i) => i.severity === "error")).toBe(true);
      }
    }
  });

  it("wrong magic and wrong version", () => {
    expect(validateWasm(Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0])).issues[0]!.code).toBe(
      IssueCode.BAD_MAGIC,
    );
    expect(validateWasm(Uint8Array.from([0, 0x61, 0x73, 0x6d, 2, 0, 0, 0])).issues[0]!.code).toBe(
      IssueCode.BAD_VERSION,
    );
  });

  it("a section size that lies (claims 4 GiB)", () => {
    const bytes = Uint8Array.from([...HEADER, 0x01, ...leb(0xffffffff), 0x01, 0x60, 0x00, 0x00]);
    const { validity, info } = checkAll(bytes);
    expect(validity.issues[0]!.code).toBe(IssueCode.SECTION_SIZE_MISMATCH);
    expect(info.decoder).toBe("none");
  });

  it("LEB128 overruns", () => {
    const bytes = Uint8Array.from([...HEADER, 0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]);
    const { validity } = checkAll(bytes);
    expect(validity.valid).toBe(false);
    expect(validity.issues.map((i) => i.code)).toContain(IssueCode.MALFORMED_INTEGER);
  });

  it("a local count of 0xFFFFFFFF", () => {
    const body = [0x01, ...leb(0xffffffff), 0x7f, 0x0b];
    const bytes = Uint8Array.from([
      ...HEADER,
      ...[0x01, 0x04, 0x01, 0x60, 0x00, 0x00],
      ...[0x03, 0x02, 0x01, 0x00],
      ...[0x0a, ...leb(body.length + 2), 0x01, ...leb(body.length), ...body],
    ]);
    const { validity, info } = checkAll(bytes);
    expect(validity.issues[0]!.code).toBe(IssueCode.IMPLEMENTATION_LIMIT);
    expect(info.issues[0]!.code).toBe(IssueCode.IMPLEMENTATION_LIMIT);
  });

  it("a million imports", () => {
    const one = [0x01, 0x61, 0x01, 0x62, 0x00, 0x00]; // "a" "b" func type 0
    const count = 1_000_000;
    const payload = new Uint8Array(leb(count).length + count * one.length);
    payload.set(leb(count));
    for (let i = 0, at = leb(count).length; i < count; i++, at += one.length) payload.set(one, at);
    const bytes = new Uint8Array(
      [...HEADER, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x02, ...leb(payload.length)].length + payload.length,
    );
    const head = [...HEADER, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x02, ...leb(payload.length)];
    bytes.set(head);
    bytes.set(payload, head.length);
    const started = performance.now();
    const validity = validateWasm(bytes);
    const info = inspectModule(bytes);
    expect(validity.issues[0]).toMatchObject({ code: IssueCode.IMPLEMENTATION_LIMIT });
    expect(validity.issues[0]!.message).toMatch(/1000000 imports; engines accept at most 100000/);
    expect(info.issues[0]!.code).toBe(IssueCode.IMPLEMENTATION_LIMIT);
    expect(performance.now() - started).toBeLessThan(15_000);
  });

  it("a name claiming 100 MB (import name and custom section name)", () => {
    const huge = leb(100 * 1024 * 1024);
    const importSection = [0x01, ...huge, 0x61];
    const bytes = Uint8Array.from([...HEADER, 0x02, ...leb(importSection.length), ...importSection]);
    const custom = Uint8Array.from([...HEADER, 0x00, ...leb(huge.length + 1), ...huge, 0x61]);
    for (const b of [bytes, custom]) {
      const before = process.memoryUsage().heapUsed;
      const { validity, info } = checkAll(b);
      expect(validity.valid).toBe(false);
      expect(info.issues.length).toBeGreaterThan(0);
      expect(process.memoryUsage().heapUsed - before).toBeLessThan(50 * 1024 * 1024);
    }
  });

  it("deeply nested blocks and a large recursive type group", () => {
    const depth = 20_000;
    const code = [...new Array(depth).fill([0x02, 0x40]).flat(), ...new Array(depth).fill(0x0b), 0x0b];
    const body = [0x00, ...code];
    const nested = Uint8Array.from([
      ...HEADER,
      ...[0x01, 0x04, 0x01, 0x60, 0x00, 0x00],
      ...[0x03, 0x02, 0x01, 0x00],
      ...[0x07, 0x07, 0x01, 0x03, 0x72, 0x75, 0x6e, 0x00, 0x00],
      ...[0x0a, ...leb(body.length + leb(body.length).length + 1), 0x01, ...leb(body.length), ...body],
    ]);
    const { validity, info } = checkAll(nested);
    expect(validity.valid).toBe(true);
    expect(info.issues).toEqual([]);
    expect(info.exports.map((e) => e.name)).toEqual(["run"]);

    // rec group of 50,000 struct types each referring to the next (GC proposal: the engine rejects it).
    const n = 50_000;
    const types: number[] = [0x01, 0x4e, ...leb(n)];
    for (let i = 0; i < n; i++) types.push(0x5f, 0x01, 0x63, ...leb((i + 1) % n), 0x00);
    const typeSection = types;
    const rec = Uint8Array.from([...HEADER, 0x01, ...leb(typeSection.length), ...typeSection]);
    const r = checkAll(rec);
    expect(r.validity.valid).toBe(wasm.validate(rec));
  });

  it("random bytes, with and without a valid header", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), fc.boolean(), (random, withHeader) => {
        const bytes = withHeader ? Uint8Array.from([...HEADER, ...random]) : random;
        const { validity } = checkAll(bytes);
        expect(validity.valid).toBe(wasm.validate(bytes));
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ["a string", "\0asm"],
    ["undefined", undefined],
    ["an object", { length: 8 }],
    ["a DataView", new DataView(new ArrayBuffer(8))],
  ])("throws INVALID_ARGUMENT (and only that) for %s", (_, value) => {
    for (const fn of [
      () => validateWasm(value),
      () => inspectModule(value),
      () => validatePlugin(manifest([{ functionName: "a" }]), value),
    ]) {
      let thrown: unknown;
      try {
        fn();
      } catch (error) {
        thrown = error;
      }
      expect(SandboxError.is(thrown, ErrorCode.INVALID_ARGUMENT)).toBe(true);
    }
  });
});

describe("fuzz: mutations of valid modules", () => {
  const seeds = [
    "numeric",
    "json",
    "command",
    "simd",
    "threads",
    "tags",
    "multi-table",
    "resources",
    "bad-imports",
  ].map(fixture);
  const mutation = fc.oneof(
    fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ kind: fc.constant("truncate" as const), at: fc.nat(), value: fc.constant(0) }),
    fc.record({
      kind: fc.constant("insert" as const),
      at: fc.nat(),
      value: fc.integer({ min: 0, max: 255 }),
    }),
  );

  function mutate(
    seed: Uint8Array,
    steps: { kind: "flip" | "truncate" | "insert"; at: number; value: number }[],
  ) {
    let bytes = Uint8Array.from(seed);
    for (const step of steps) {
      const at = bytes.length === 0 ? 0 : step.at % bytes.length;
      if (step.kind === "flip") bytes[at] = step.value;
      else if (step.kind === "truncate") bytes = bytes.subarray(0, at);
      else bytes = Uint8Array.from([...bytes.subarray(0, at), step.value, ...bytes.subarray(at)]);
    }
    return bytes;
  }

  it("always returns a result, `valid` agrees with WebAssembly.validate, nothing throws", () => {
    fc.assert(
      fc.property(
        fc.nat({ max: seeds.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        (which, steps) => {
          const bytes = mutate(seeds[which]!, steps);
          const { validity, info, plugin } = checkAll(bytes);
          expect(validity.valid).toBe(wasm.validate(bytes));
          expect(Array.isArray(info.issues)).toBe(true);
          expect(Array.isArray(plugin)).toBe(true);
          if (!validity.valid) expect(validity.issues.some((i) => i.severity === "error")).toBe(true);
          // A module the engine accepts never gets an error from inspection (at most an UNSUPPORTED warning).
          else
            expect(info.issues.filter((i) => i.severity === "error" || i.severity === "critical")).toEqual(
              [],
            );
        },
      ),
      { numRuns: 1500 },
    );
  });

  it("holds on a real module too (sql.js, mutated in its declarations and code)", () => {
    const seed = npmWasm("sql.js/dist/sql-wasm.wasm");
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.boolean(), (steps, early) => {
        // Half the runs hit the first 80 kB, where the declarations (type ... export sections) live.
        const bytes = mutate(seed, early ? steps.map((s) => ({ ...s, at: s.at % 80_000 })) : steps);
        const { validity, info } = checkAll(bytes);
        expect(validity.valid).toBe(wasm.validate(bytes));
        if (validity.valid) expect(info.issues.filter((i) => i.severity === "error")).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });
});
