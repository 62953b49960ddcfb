import type { ByteWriter } from "@wasm-sandbox/validator";
import { InstructionReader } from "@wasm-sandbox/validator";

/**
 * Function and global indices after the two sandbox imports are appended to the import section: the
 * fuel function takes index `funcBoundary` (the original imported function count) and every defined
 * function moves up by one; the same holds for globals.
 */
export interface IndexShift {
  funcBoundary: number;
  globalBoundary: number;
}

export function shiftFunc(shift: IndexShift, index: number): number {
  return index >= shift.funcBoundary ? index + 1 : index;
}

export function shiftGlobal(shift: IndexShift, index: number): number {
  return index >= shift.globalBoundary ? index + 1 : index;
}

/**
 * Copies a constant expression (global init, segment offset, element item, table init) starting at
 * `start`, rewriting `global.get` and `ref.func` indices. Returns the offset after its `end`.
 */
export function copyConstExpr(
  bytes: Uint8Array,
  start: number,
  end: number,
  shift: IndexShift,
  out: ByteWriter,
  it: InstructionReader = new InstructionReader(bytes),
): number {
  it.reset(start, end);
  let copyFrom = start;
  while (it.depth > 0) {
    const op = it.next();
    let index = -1;
    if (op === 0x23) index = shiftGlobal(shift, it.idx);
    else if (op === 0xd2) index = shiftFunc(shift, it.idx);
    if (index !== -1 && index !== it.idx) {
      out.bytes(bytes, copyFrom, it.immStart);
      out.u32(index);
      copyFrom = it.pos;
    }
  }
  out.bytes(bytes, copyFrom, it.pos);
  return it.pos;
}
