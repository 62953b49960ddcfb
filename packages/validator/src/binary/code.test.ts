import { ErrorCode, SandboxError } from "@wasm-sandbox/manifest";
import { caught } from "@wasm-sandbox/testkit";
import { describe, expect, it } from "vitest";
import { InstructionReader, MAX_FUNCTION_LOCALS, readFunctionBodies, readLocals } from "./code.js";
import { readModule } from "./module.js";
import { SectionId } from "./sections.js";
import { moduleBytes, wat } from "./wat.testutil.js";

/** Opcodes of every instruction of every body, in order. */
function opcodes(bytes: Uint8Array): number[] {
  const info = readModule(bytes);
  const it = new InstructionReader(bytes);
  const ops: number[] = [];
  for (const body of info.bodies) {
    it.reset(readLocals(bytes, body).codeStart, body.end);
    while (it.depth > 0) ops.push(it.next());
    expect(it.pos).toBe(body.end);
  }
  return ops;
}

const thrown = (fn: () => unknown): SandboxError => caught(fn, SandboxError.is);

/** One function with the given code bytes (type () -> ()). */
function oneFunction(code: number[], locals: number[] = [0]): Uint8Array {
  const body = [...locals, ...code];
  return moduleBytes([1, [1, 0x60, 0, 0]], [3, [1, 0]], [10, [1, body.length, ...body]]);
}

describe("InstructionReader", () => {
  it("walks MVP control flow and reports immediates", async () => {
    const bytes = await wat(`(module
      (type $t (func (param i32) (result i32)))
      (table 1 funcref)
      (global $g (mut i32) (i32.const 0))
      (memory 1)
      (func $f (type $t)
        (block $b (result i32)
          (loop $l
            local.get 0
            br_if $l
            i32.const 1
            br_table $b $b $b)
          unreachable)
        global.set $g
        i32.const 0
        i32.load offset=1000000 align=2
        i64.const -9223372036854775808
        drop
        f64.const 1.5
        drop
        call_indirect (type $t)
        memory.grow))`);
    const info = readModule(bytes);
    const it = new InstructionReader(bytes);
    const body = info.bodies[0]!;
    it.reset(readLocals(bytes, body).codeStart, body.end);
    const seen: string[] = [];
    while (it.depth > 0) {
      const op = it.next();
      if (op === 0x0d || op === 0x24 || op === 0x20) seen.push(`${op.toString(16)}:${it.idx}`);
      if (op === 0x02) seen.push(`block:${it.blockType}`);
      if (op === 0x11) seen.push(`call_indirect:${it.idx}:${it.idx2}`);
      if (op === 0x28) seen.push(`load:mem${it.memIndex}`);
    }
    expect(seen).toEqual(["block:-1", "20:0", "d:0", "24:0", "load:mem0", "call_indirect:0:0"]);
    expect(it.pos).toBe(body.end);
  });

  it("skips the immediates of post-MVP instructions (SIMD, relaxed SIMD, atomics, bulk, exceptions, tail calls)", async () => {
    const bytes = await wat(`(module
      (memory 1 1 shared)
      (table 2 funcref)
      (tag $e (param i32))
      (data $d "x")
      (elem $el func $f)
      (func $f (param v128) (result v128)
        local.get 0
        local.get 0
        i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15
        i32.const 0
        v128.load8_lane offset=3 1
        i32x4.extract_lane 3
        drop
        v128.const i32x4 1 2 3 4
        f32x4.relaxed_madd
        i32.const 0 i32.const 0 i32.const 1 memory.init $d
        i32.const 0 i32.const 0 i32.const 1 table.init $el
        data.drop $d
        i32.const 0 i32.const 1 i32.atomic.rmw.add offset=8
        drop
        atomic.fence
        try (result i32) i32.const 1 throw $e catch $e catch_all i32.const 2 end
        drop
        local.get 0
        return_call $f))`);
    const ops = opcodes(bytes);
    expect(ops).toContain(0xfd000d);
    expect(ops).toContain(0xfd0054);
    expect(ops).toContain(0xfd0105);
    expect(ops).toContain(0xfc0008);
    expect(ops).toContain(0xfc000c);
    expect(ops).toContain(0xfe001e);
    expect(ops).toContain(0xfe0003);
    expect(ops).toContain(0x06);
    expect(ops).toContain(0x19);
    expect(ops.at(-2)).toBe(0x12);
    expect(ops.at(-1)).toBe(0x0b);
  });

  it("walks try_table, GC and typed-reference encodings by their final opcodes", () => {
    const code = [
      ...[0x02, 0x40], // block
      ...[0x1f, 0x40, 1, 0x02, 0x00], // try_table (catch_all 0)
      0x0b,
      0x0b,
      ...[0xd0, 0x70, 0xd4, 0x00, 0x1a], // ref.null func; br_on_null 0; drop
      ...[0xfb, 0x00, 0x00, 0x1a], // struct.new 0; drop
      ...[0xfb, 0x18, 0x03, 0x00, 0x6e, 0x6c, 0x1a], // br_on_cast flags 0 any i31; drop
      0x0b,
    ];
    const ops = opcodes(oneFunction(code));
    expect(ops).toEqual([0x02, 0x1f, 0x0b, 0x0b, 0xd0, 0xd4, 0x1a, 0xfb0000, 0x1a, 0xfb0018, 0x1a, 0x0b]);
  });

  it("raises UNSUPPORTED naming the opcode and offset for unknown instructions", () => {
    const bytes = oneFunction([0x01, 0x27, 0x0b]);
    const e = thrown(() => opcodes(bytes));
    expect(e.code).toBe(ErrorCode.UNSUPPORTED);
    expect(e.context.opcode).toBe(0x27);
    expect(bytes[e.context.offset as number]).toBe(0x27);
    const simd = oneFunction([0xfd, 0x9a, 0x01, 0x0b]);
    expect(thrown(() => opcodes(simd)).code).toBe(ErrorCode.UNSUPPORTED);
    const misc = oneFunction([0xfc, 0x20, 0x0b]);
    expect(thrown(() => opcodes(misc)).message).toMatch(/0xfc 32/);
  });

  it("reports truncated bodies as INVALID_MODULE", () => {
    const bytes = oneFunction([0x41, 0x80]); // i32.const with a cut LEB, no end
    expect(thrown(() => opcodes(bytes)).code).toBe(ErrorCode.INVALID_MODULE);
    const noEnd = oneFunction([0x02, 0x40, 0x0b]);
    expect(thrown(() => opcodes(noEnd)).code).toBe(ErrorCode.INVALID_MODULE);
  });

  it("rejects a local count of 0xFFFFFFFF without allocating", () => {
    const bytes = oneFunction([0x0b], [1, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x7f]);
    const info = readModule(bytes);
    const e = thrown(() => readLocals(bytes, info.bodies[0]!));
    expect(e.code).toBe(ErrorCode.INVALID_MODULE);
    expect(e.message).toMatch(new RegExp(`limit of ${MAX_FUNCTION_LOCALS}`));
    // many groups that add up past the limit fail too
    const groups = [3, 0xff, 0xff, 0x01, 0x7f, 0xff, 0xff, 0x01, 0x7e, 0xff, 0xff, 0x01, 0x7d];
    const many = oneFunction([0x0b], groups);
    expect(thrown(() => readLocals(many, readModule(many).bodies[0]!)).code).toBe(ErrorCode.INVALID_MODULE);
  });

  it("splits the code section and rejects lying body sizes", () => {
    const bytes = oneFunction([0x0b]);
    const info = readModule(bytes);
    const code = info.sections.find((s) => s.id === SectionId.Code)!;
    expect(readFunctionBodies(bytes, code)).toEqual([info.bodies[0]]);
    const lying = bytes.slice();
    lying[code.start + 1] = 0x30;
    expect(thrown(() => readModule(lying)).code).toBe(ErrorCode.INVALID_MODULE);
  });
});
