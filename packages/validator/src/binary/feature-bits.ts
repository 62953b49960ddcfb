/** One bit per entry of `WASM_FEATURES`, in the same order (shared by the walker and the fast scanner). */
export const F = {
  bulk: 1 << 0,
  ref: 1 << 1,
  simd: 1 << 2,
  relaxed: 1 << 3,
  multiValue: 1 << 4,
  threads: 1 << 5,
  tail: 1 << 6,
  exceptions: 1 << 7,
  memory64: 1 << 8,
  signExt: 1 << 9,
  satConv: 1 << 10,
  mutGlobals: 1 << 11,
  multiMemory: 1 << 12,
  funcRefs: 1 << 13,
  gc: 1 << 14,
  extConst: 1 << 15,
} as const;

/** Block types by their first byte as s7: v128, funcref, externref, exnref, typed refs. */
export function blockTypeBits(bt: number): number {
  if (bt >= 0) return F.multiValue;
  switch (bt) {
    case -5:
      return F.simd;
    case -16:
    case -17:
      return F.ref;
    case -23:
      return F.exceptions;
    case -29:
    case -28:
      return F.funcRefs;
    case -64:
    case -1:
    case -2:
    case -3:
    case -4:
      return 0;
    default:
      return F.gc;
  }
}
