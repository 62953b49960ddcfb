import { ErrorCode, SandboxError } from "@wasm-sandbox/manifest";
import { BinaryReader, ByteWriter, InstructionReader, MAX_FUNCTION_LOCALS } from "@wasm-sandbox/validator";
import { MAX_WAIT_NS, MEMORY_BYTES_SHIFT, TABLE_ELEMS_SHIFT, WAIT_FUEL } from "./constants.js";
import { type IndexShift, shiftFunc, shiftGlobal } from "./remap.js";

/** Fuel per single-byte instruction: block markers are free, everything else costs 1. */
const WEIGHT: Uint8Array = (() => {
  const w = new Uint8Array(256).fill(1);
  for (const op of [0x02, 0x03, 0x05, 0x06, 0x07, 0x0b, 0x18, 0x19, 0x1f]) w[op] = 0;
  return w;
})();

/**
 * Instructions after which a new straight-line segment starts: branch targets and merge points (loop
 * header, then/else arms, catch handlers, code after `end`/`delegate`) and the dead code after
 * unconditional transfers (so it is not charged to the live segment). The fall-through of a conditional
 * branch (br_if, br_on_*) is not split off: it is prepaid with the code before the branch, one charge
 * fewer per loop iteration at the price of overcharging when the branch is taken.
 */
const SPLIT: Uint8Array = (() => {
  const s = new Uint8Array(256);
  for (const op of [
    0x00, 0x03, 0x04, 0x05, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0e, 0x0f, 0x12, 0x13, 0x15, 0x18, 0x19,
  ]) {
    s[op] = 1;
  }
  return s;
})();

/**
 * Instructions that leave the function or run other code: the cached counter is written back first.
 * (`unreachable` too, so an explicit trap reports its fuel; an implicit trap such as a division by zero
 * loses the trapping function's charges since its last write-back, the same on every run.)
 */
const SYNC_BEFORE: Uint8Array = (() => {
  const s = new Uint8Array(256);
  for (const op of [0x00, 0x08, 0x09, 0x0a, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15]) s[op] = 1;
  return s;
})();

const FL_SPLIT = 1;
const FL_SYNC = 2;
const FL_RELOAD = 4;
const FL_SWITCH = 8;

/** Everything the scan does per single-byte opcode, in one lookup: most instructions need nothing. */
const FLAGS: Uint8Array = (() => {
  const f = new Uint8Array(256);
  for (let op = 0; op < 256; op++) {
    if (SPLIT[op]) f[op]! |= FL_SPLIT;
    if (SYNC_BEFORE[op]) f[op]! |= FL_SYNC;
  }
  for (const op of [0x07, 0x10, 0x11, 0x14, 0x19]) f[op]! |= FL_RELOAD;
  for (const op of [
    0x02, 0x03, 0x04, 0x06, 0x09, 0x0b, 0x0c, 0x0d, 0x0e, 0x10, 0x12, 0x18, 0x1f, 0x23, 0x24,
  ]) {
    f[op]! |= FL_SWITCH;
  }
  for (const op of [0xd2, 0xd4, 0xd6]) f[op]! |= FL_SWITCH;
  return f;
})();

const EV_SPLIT = 1;
const EV_LOOP_PRE = 2;
const EV_LOOP_HEADER = 3;
const EV_LOOP_TAIL = 4;
const EV_INDEX = 5;
const EV_BRTABLE = 6;
const EV_SYNC = 7;
const EV_RELOAD = 8;
const EV_BULK32 = 9;
const EV_BULK64 = 10;
const EV_WAIT = 11;
const EV_NOP = 12;

/** Labels added around a wrapped loop (block $after, loop $retry, block $check). */
const WRAP_LABELS = 3;
const MAX_DEPTH = 100_000;

export interface FuelTargets {
  /** Index of the imported fuel global (after the shift). */
  fuelGlobal: number;
  /** Index of the imported out_of_fuel function. */
  outOfFuel: number;
  shift: IndexShift;
  /** Per memory / table index: true when 64-bit addressed (bulk lengths are i64). */
  memory64: readonly boolean[];
  table64: readonly boolean[];
  /** Parameter count of a type index (for block types). */
  typeParams: (typeIndex: number) => number;
}

/**
 * Rewrites function bodies for fuel metering, decoding each body once.
 *
 * Design: each function caches the fuel counter in a local (loaded at entry, written back before calls,
 * returns, throws and branches out of the function, reloaded after calls and catches), so a charge is
 * four register operations. Every straight-line segment with a non-zero static cost is charged once at
 * its start. Check points (function entries of functions that call, loop headers) test the counter
 * before the header's charge and call out_of_fuel when it is negative. So that the loop body stays free
 * of calls (V8 only unrolls call-free loops), a parameterless loop is wrapped as
 *
 *   block bt (loop $retry (block $check (loop bt [br_if $check (fuel < 0)] [charge] BODY) br $after))
 *            [sync] call out_of_fuel [reload] br $retry) unreachable end
 *
 * and labels in BODY that leave the loop are shifted by the three added labels. Re-entering through
 * $retry charges the header exactly once, so consumption never depends on when slices run out.
 *
 * Bulk memory/table operations are also charged by their length at run time, and atomic waits have
 * their timeout clamped to MAX_WAIT_NS (and cost WAIT_FUEL) so a guest cannot block the thread.
 *
 * The scan records costs and edit points; the copy moves the bytes between edit points in bulk.
 */
export class BodyRewriter {
  private readonly it: InstructionReader;
  private readonly tableReader: BinaryReader;
  private readonly bytes: Uint8Array;
  private readonly t: FuelTargets;
  private costs = new Float64Array(256);
  private events = new Int32Array(1024);
  private nEvents = 0;
  private side = new Int32Array(256);
  private nSide = 0;
  /** Per open frame: prefix count of wrapped loops up to and including it. */
  private wrappedPrefix = new Int32Array(256);
  private wrappedSelf = new Uint8Array(256);
  private out = new ByteWriter(0);
  // results of the last scan
  private hasCall = false;
  private need32 = false;
  private need64 = false;
  private needsNoWrap = false;
  /** Index of the last reload-after-call event while nothing has happened since, else -1. */
  private pendingReload = -1;

  constructor(bytes: Uint8Array, targets: FuelTargets) {
    this.bytes = bytes;
    this.t = targets;
    this.it = new InstructionReader(bytes);
    this.tableReader = new BinaryReader(bytes);
  }

  /** A bulk memory/table operation charged by its length >> shift; it needs a scratch local of its width. */
  private bulk(wide: boolean, start: number, shift: number): void {
    if (wide) this.need64 = true;
    else this.need32 = true;
    this.event(wide ? EV_BULK64 : EV_BULK32, start, shift, 0);
  }

  private event(kind: number, a: number, b: number, c: number): void {
    this.pendingReload = -1;
    let n = this.nEvents;
    if (n + 4 > this.events.length) {
      const next = new Int32Array(this.events.length * 2);
      next.set(this.events);
      this.events = next;
    }
    const e = this.events;
    e[n++] = kind;
    e[n++] = a;
    e[n++] = b;
    e[n++] = c;
    this.nEvents = n;
  }

  private pushSide(v: number): void {
    if (this.nSide === this.side.length) {
      const next = new Int32Array(this.side.length * 2);
      next.set(this.side);
      this.side = next;
    }
    this.side[this.nSide++] = v;
  }

  private cost(k: number, value: number): void {
    if (k >= this.costs.length) {
      const next = new Float64Array(this.costs.length * 2);
      next.set(this.costs);
      this.costs = next;
    }
    this.costs[k] = value;
  }

  private openFrame(index: number, wrapped: boolean): void {
    if (index >= this.wrappedPrefix.length) {
      if (index >= MAX_DEPTH) this.it.r.fail("Blocks nested too deeply", this.it.start);
      const p = new Int32Array(this.wrappedPrefix.length * 2);
      p.set(this.wrappedPrefix);
      this.wrappedPrefix = p;
      const s = new Uint8Array(this.wrappedSelf.length * 2);
      s.set(this.wrappedSelf);
      this.wrappedSelf = s;
    }
    this.wrappedSelf[index] = wrapped ? 1 : 0;
    this.wrappedPrefix[index] = (index > 0 ? this.wrappedPrefix[index - 1]! : 0) + (wrapped ? 1 : 0);
  }

  /** New relative depth of label `l` seen with `top` the innermost open frame; -1 if out of range. */
  private relabel(top: number, l: number): number {
    const target = top - l;
    if (target < 0) return -1;
    return l + WRAP_LABELS * (this.wrappedPrefix[top]! - this.wrappedPrefix[target]!);
  }

  /** Records a label rewrite (when it changes) and a write-back when the label leaves the function. */
  private label(top: number, l: number, start: number, labelAt: number): void {
    if (top - l === 0) this.event(EV_SYNC, start, 0, 0);
    const nl = this.relabel(top, l);
    if (nl !== -1 && nl !== l) this.event(EV_INDEX, start, labelAt, nl);
  }

  private scan(codeStart: number, end: number, wrap: boolean): void {
    const it = this.it;
    const t = this.t;
    const shift = t.shift;
    const r = it.r;
    it.reset(codeStart, end);
    this.nEvents = 0;
    this.nSide = 0;
    this.hasCall = false;
    this.need32 = false;
    this.need64 = false;
    this.needsNoWrap = false;
    this.pendingReload = -1;
    this.openFrame(0, false);
    let segment = 0;
    let cost = 0;
    while (it.depth > 0) {
      const op = it.next();
      if (op < 0x100) {
        cost += WEIGHT[op]!;
        const fl = FLAGS[op]!;
        if (fl === 0) continue;
        const isCall = op === 0x10 || op === 0x11 || op === 0x14;
        if (fl & FL_SYNC) {
          if (op >= 0x10) this.hasCall = true;
          if (isCall && this.pendingReload !== -1) {
            // call; call: nothing used the counter in between, so neither the reload after the first
            // call nor the write-back before this one is needed (the global stays authoritative)
            this.events[this.pendingReload] = EV_NOP;
            this.pendingReload = -1;
          } else {
            this.event(EV_SYNC, it.start, 0, 0);
          }
        } else {
          this.pendingReload = -1;
        }
        if (fl & FL_SWITCH)
          switch (op) {
            case 0x10:
            case 0x12:
            case 0xd2:
              if (it.idx >= shift.funcBoundary)
                this.event(EV_INDEX, it.start, it.immStart, shiftFunc(shift, it.idx));
              break;
            case 0x23:
            case 0x24:
              if (it.idx >= shift.globalBoundary) {
                this.event(EV_INDEX, it.start, it.immStart, shiftGlobal(shift, it.idx));
              }
              break;
            case 0x02:
            case 0x04:
            case 0x06:
              this.openFrame(it.depth - 1, false);
              break;
            case 0x1f:
              this.openFrame(it.depth - 1, false);
              this.needsNoWrap = true;
              break;
            case 0x03: {
              const wrapped = wrap && (it.blockType < 0 || t.typeParams(it.blockType) === 0);
              this.openFrame(it.depth - 1, wrapped);
              if (wrapped) this.event(EV_LOOP_PRE, it.start, it.pos, 0);
              break;
            }
            case 0x0c:
            case 0x0d:
            case 0xd4:
            case 0xd6:
              this.label(it.depth - 1, it.idx, it.start, it.immStart);
              break;
            case 0x09:
              this.label(it.depth - 1, it.idx, it.start, it.immStart);
              break;
            case 0x18: {
              // delegate: the label counts from the frame around the try (already popped)
              const nl = this.relabel(it.depth - 1, it.idx);
              if (nl !== -1 && nl !== it.idx) this.event(EV_INDEX, it.start, it.immStart, nl);
              break;
            }
            case 0x0e:
              this.brTable(it.depth - 1, it.start, it.immStart, it.pos);
              break;
            case 0x0b:
              if (it.depth === 0) {
                this.event(EV_SYNC, it.start, 0, 0);
              } else if (this.wrappedSelf[it.depth] === 1) {
                this.event(EV_LOOP_TAIL, it.pos, 0, 0);
              } else if (!wrap) {
                // try_table catches land after some block's end: reload there, as after legacy catches
                this.event(EV_RELOAD, it.pos, 0, 0);
              }
              break;
          }
        if (fl & FL_RELOAD) {
          this.event(EV_RELOAD, it.pos, 0, 0);
          if (isCall) this.pendingReload = this.nEvents - 4;
        }
        if (fl & FL_SPLIT && it.depth > 0) {
          this.cost(segment++, cost);
          cost = 0;
          this.event(
            op === 0x03 ? EV_LOOP_HEADER : EV_SPLIT,
            it.pos,
            segment,
            op === 0x03 ? this.wrappedSelf[it.depth - 1]! : 0,
          );
        }
      } else {
        cost += 1;
        switch (op) {
          case 0xfc0008:
          case 0xfc000a:
          case 0xfc000b: {
            const wide =
              t.memory64[it.memIndex] === true && (op !== 0xfc000a || t.memory64[it.idx2] === true);
            this.bulk(wide, it.start, MEMORY_BYTES_SHIFT);
            break;
          }
          case 0xfc000c:
          case 0xfc000e:
          case 0xfc0011: {
            const table = op === 0xfc000c ? it.idx2 : it.idx;
            const wide = t.table64[table] === true && (op !== 0xfc000e || t.table64[it.idx2] === true);
            this.bulk(wide, it.start, TABLE_ELEMS_SHIFT);
            break;
          }
          case 0xfe0001:
          case 0xfe0002:
            cost += WAIT_FUEL - 1;
            this.need64 = true;
            this.event(EV_WAIT, it.start, 0, 0);
            break;
          case 0xfb0018:
          case 0xfb0019:
            this.needsNoWrap = true;
            this.pendingReload = -1;
            if (it.depth - 1 - it.idx === 0) this.event(EV_SYNC, it.start, 0, 0);
            break;
        }
      }
    }
    this.cost(segment, cost);
    if (r.pos !== end) r.fail("Function body continues after its final end", r.pos);
  }

  private brTable(top: number, start: number, immStart: number, end: number): void {
    const r = this.tableReader;
    r.pos = immStart;
    r.end = end;
    const count = r.u32();
    let changed = false;
    let leaves = false;
    const sideStart = this.nSide;
    this.pushSide(end);
    this.pushSide(count);
    for (let i = 0; i <= count; i++) {
      const l = r.u32();
      if (top - l === 0) leaves = true;
      const nl = this.relabel(top, l);
      if (nl !== -1 && nl !== l) changed = true;
      this.pushSide(nl === -1 ? l : nl);
    }
    if (leaves) this.event(EV_SYNC, start, 0, 0);
    if (changed) this.event(EV_BRTABLE, start, sideStart, 0);
    else this.nSide = sideStart;
  }

  /** Appends the rewritten body (size-prefixed, written in place) for the body at [start, end) to `dest`. */
  rewrite(start: number, end: number, paramCount: number, dest: ByteWriter): void {
    const bytes = this.bytes;
    const locals = this.it.r;
    locals.pos = start;
    locals.end = end;
    const groupCount = locals.vecLength(2);
    const groupsStart = locals.pos;
    let localTotal = 0;
    for (let i = 0; i < groupCount; i++) {
      localTotal += locals.u32();
      if (localTotal > MAX_FUNCTION_LOCALS)
        locals.fail(`Function declares more than ${MAX_FUNCTION_LOCALS} locals`);
      const b = locals.u8();
      if (b === 0x63 || b === 0x64) locals.s33();
    }
    const codeStart = locals.pos;

    this.scan(codeStart, end, true);
    if (this.needsNoWrap) this.scan(codeStart, end, false);

    this.out = dest;
    const out = dest;
    const sizeAt = out.reserveU32();
    const extra = 1 + (this.need32 ? 1 : 0) + (this.need64 ? 1 : 0);
    if (localTotal + extra > MAX_FUNCTION_LOCALS) {
      throw new SandboxError(
        ErrorCode.UNSUPPORTED,
        "A function uses all local slots; fuel metering needs more",
        {
          suggestion: "Split the function or disable fuel metering for this plugin.",
        },
      );
    }
    const f = paramCount + localTotal;
    const scratch32 = f + 1;
    const scratch64 = scratch32 + (this.need32 ? 1 : 0);
    out.u32(groupCount + extra);
    out.bytes(bytes, groupsStart, codeStart);
    out.bytes(LOCAL_I64);
    if (this.need32) out.bytes(LOCAL_I32);
    if (this.need64) out.bytes(LOCAL_I64);
    const g = this.t.fuelGlobal;
    // entry: f = fuel - cost of the first segment; check if the function calls
    out.u8(0x23);
    out.u32(g);
    const c0 = this.costs[0]!;
    if (c0 !== 0) {
      out.u8(0x42);
      out.s64(c0);
      out.u8(0x7d);
    }
    out.u8(0x21);
    out.u32(f);
    if (this.hasCall) this.inlineCheck(f, g);

    let copyFrom = codeStart;
    const e = this.events;
    const side = this.side;
    for (let i = 0; i < this.nEvents; i += 4) {
      const kind = e[i]!;
      const at = e[i + 1]!;
      out.bytes(bytes, copyFrom, at);
      copyFrom = at;
      switch (kind) {
        case EV_SPLIT:
          this.charge(this.costs[e[i + 2]!]!, f);
          break;
        case EV_LOOP_PRE:
          out.u8(0x02); // block with the loop's type
          out.bytes(bytes, at + 1, e[i + 2]!);
          out.bytes(WRAP_OPEN);
          break;
        case EV_LOOP_HEADER:
          if (e[i + 3] === 1) {
            this.testNegative(f);
            out.u8(0x0d); // br_if $check
            out.u8(0x01);
          } else {
            this.inlineCheck(f, g);
          }
          this.charge(this.costs[e[i + 2]!]!, f);
          break;
        case EV_LOOP_TAIL:
          out.bytes(WRAP_TAIL_1);
          this.sync(f, g);
          out.u8(0x10);
          out.u32(this.t.outOfFuel);
          this.reload(f, g);
          out.bytes(WRAP_TAIL_2);
          break;
        case EV_INDEX: {
          const immStart = e[i + 2]!;
          out.bytes(bytes, at, immStart);
          out.u32(e[i + 3]!);
          const r = this.it.r; // free after the scan: reused to skip the old immediate
          r.pos = immStart;
          r.end = end;
          r.u32();
          copyFrom = r.pos;
          break;
        }
        case EV_BRTABLE: {
          let s = e[i + 2]!;
          const instrEnd = side[s++]!;
          const count = side[s++]!;
          out.u8(0x0e);
          out.u32(count);
          for (let k = 0; k <= count; k++) out.u32(side[s++]!);
          copyFrom = instrEnd;
          break;
        }
        case EV_SYNC:
          this.sync(f, g);
          break;
        case EV_RELOAD:
          this.reload(f, g);
          break;
        case EV_NOP:
          break;
        case EV_WAIT:
          // timeout = min_u(timeout, MAX_WAIT_NS): a negative (infinite) timeout is huge as unsigned
          out.u8(0x22);
          out.u32(scratch64);
          out.u8(0x42);
          out.s64(MAX_WAIT_NS);
          out.u8(0x20);
          out.u32(scratch64);
          out.u8(0x42);
          out.s64(MAX_WAIT_NS);
          out.u8(0x54); // i64.lt_u
          out.u8(0x1b); // select
          break;
        default: {
          const wide = kind === EV_BULK64;
          const local = wide ? scratch64 : scratch32;
          const shiftBits = e[i + 2]!;
          out.u8(0x22); // local.tee: the length stays on the stack
          out.u32(local);
          out.u8(0x20);
          out.u32(f);
          out.u8(0x20);
          out.u32(local);
          if (!wide) out.u8(0xad); // i64.extend_i32_u
          if (shiftBits > 0) {
            out.u8(0x42);
            out.s64(shiftBits);
            out.u8(0x88); // i64.shr_u
          }
          out.u8(0x7d);
          out.u8(0x21);
          out.u32(f);
        }
      }
    }
    out.bytes(bytes, copyFrom, end);
    out.patchU32(sizeAt, out.length - sizeAt - 5);
  }

  /** f -= cost (nothing for free segments). */
  private charge(cost: number, f: number): void {
    if (cost === 0) return;
    const out = this.out;
    out.u8(0x20);
    out.u32(f);
    out.u8(0x42);
    out.s64(cost);
    out.u8(0x7d);
    out.u8(0x21);
    out.u32(f);
  }

  private testNegative(f: number): void {
    const out = this.out;
    out.u8(0x20);
    out.u32(f);
    out.u8(0x42);
    out.u8(0x00);
    out.u8(0x53); // i64.lt_s
  }

  private sync(f: number, g: number): void {
    this.out.u8(0x20);
    this.out.u32(f);
    this.out.u8(0x24);
    this.out.u32(g);
  }

  private reload(f: number, g: number): void {
    this.out.u8(0x23);
    this.out.u32(g);
    this.out.u8(0x21);
    this.out.u32(f);
  }

  /** if (f < 0) { fuel = f; out_of_fuel(); f = fuel } */
  private inlineCheck(f: number, g: number): void {
    const out = this.out;
    this.testNegative(f);
    out.u8(0x04);
    out.u8(0x40);
    this.sync(f, g);
    out.u8(0x10);
    out.u32(this.t.outOfFuel);
    this.reload(f, g);
    out.u8(0x0b);
  }
}

const LOCAL_I32 = new Uint8Array([0x01, 0x7f]);
const LOCAL_I64 = new Uint8Array([0x01, 0x7e]);
/** loop $retry; block $check (after `block bt` is written) */
const WRAP_OPEN = new Uint8Array([0x03, 0x40, 0x02, 0x40]);
/** br $after; end $check */
const WRAP_TAIL_1 = new Uint8Array([0x0c, 0x02, 0x0b]);
/** br $retry; end $retry; unreachable; end $after */
const WRAP_TAIL_2 = new Uint8Array([0x0c, 0x00, 0x0b, 0x00, 0x0b]);
