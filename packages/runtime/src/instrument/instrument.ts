import { ErrorCode, LinkError, SandboxError } from "@wasm-sandbox/manifest";
import {
  BinaryReader,
  ByteWriter,
  functionType,
  InstructionReader,
  type BinaryModuleInfo as ModuleInfo,
  readModule,
  SectionId,
  type SectionInfo,
} from "@wasm-sandbox/validator";
import {
  type CappedLimits,
  type CappedTable,
  capLimits,
  type ImportedMemory,
  type ImportedTable,
} from "./caps.js";
import { FUEL_GLOBAL, OUT_OF_FUEL, RESERVED_MODULE } from "./constants.js";
import { BodyRewriter } from "./fuel-code.js";
import { rewriteNameSection } from "./names.js";
import { copyConstExpr, type IndexShift, shiftFunc, shiftGlobal } from "./remap.js";

export interface InstrumentOptions {
  /** Cap for every memory, in 64 KiB pages. */
  maxMemoryPages: number;
  /** Cap for every table, in elements. */
  maxTableElements: number;
  /** Insert fuel metering (default true). */
  meterFuel?: boolean;
}

/** The imports an instrumented module expects from the host's FuelMeter. */
export interface FuelImports {
  module: string;
  /** Mutable i64 global: fuel left in the current slice. */
  fuel: string;
  /** Function [] -> [], called when the slice is overdrawn at a check point. */
  outOfFuel: string;
}

export interface InstrumentResult {
  bytes: Uint8Array<ArrayBuffer>;
  /** Defined memories with their declared and capped limits. */
  memories: CappedLimits[];
  /** Defined tables with their declared and capped limits. */
  tables: CappedTable[];
  /** Imported memories: provide each with `max` as its maximum. */
  importedMemories: ImportedMemory[];
  /** Imported tables: provide each with a maximum of at most `max`. */
  importedTables: ImportedTable[];
  /** Present when fuel metering was inserted. */
  fuelImports: FuelImports | null;
}

function checkOptions(options: InstrumentOptions): void {
  const { maxMemoryPages, maxTableElements } = options;
  if (!Number.isSafeInteger(maxMemoryPages) || maxMemoryPages < 0) {
    throw new SandboxError(
      ErrorCode.INVALID_ARGUMENT,
      `maxMemoryPages must be a non-negative integer, got ${maxMemoryPages}`,
    );
  }
  if (!Number.isSafeInteger(maxTableElements) || maxTableElements < 0) {
    throw new SandboxError(
      ErrorCode.INVALID_ARGUMENT,
      `maxTableElements must be a non-negative integer, got ${maxTableElements}`,
    );
  }
}

function refuseReservedImports(info: ModuleInfo): void {
  for (const imp of info.imports) {
    if (imp.module === RESERVED_MODULE) {
      throw new LinkError(
        `The module imports "${imp.module}"."${imp.name}" from the sandbox's reserved module`,
        {
          context: { module: imp.module, name: imp.name, offset: imp.offset },
          suggestion: `Rename the import module: "${RESERVED_MODULE}" is reserved for the sandbox's fuel meter.`,
        },
      );
    }
  }
}

function writeLimits(out: ByteWriter, c: CappedLimits): void {
  out.u8(0x01 | (c.shared ? 0x02 : 0) | (c.index64 ? 0x04 : 0));
  if (c.index64) {
    out.u64(c.min);
    out.u64(c.max);
  } else {
    out.u32(c.min);
    out.u32(c.max);
  }
}

/** Emits one section: id, size, payload. */
function emit(out: ByteWriter, id: number, payload: ByteWriter): void {
  out.u8(id);
  out.sized(payload);
}

function copySection(out: ByteWriter, bytes: Uint8Array, s: SectionInfo): void {
  out.bytes(bytes, s.offset, s.end);
}

/**
 * Rewrites a module for the sandbox in one pass over its sections: caps every memory and table, and
 * (unless `meterFuel: false`) inserts fuel metering wired to two imports from RESERVED_MODULE. The
 * original function and global indices shift by one past the imports and every use is rewritten, the
 * name section included (dropped if unreadable); other custom sections are kept as they are.
 *
 * Throws ResourceExhaustedError (memory/table) when a declared minimum is above its cap, LinkError
 * when the guest imports from the reserved module, INVALID_MODULE/UNSUPPORTED for bytes it cannot read.
 */
export function instrumentModule(bytes: Uint8Array, options: InstrumentOptions): InstrumentResult {
  checkOptions(options);
  const meter = options.meterFuel !== false;
  const info = readModule(bytes);
  refuseReservedImports(info);

  const importedMemories: ImportedMemory[] = [];
  const importedTables: ImportedTable[] = [];
  for (const imp of info.imports) {
    if (imp.kind === "memory") {
      const capped = capLimits("memory", importedMemories.length, imp.type, options.maxMemoryPages);
      importedMemories.push({ ...capped, module: imp.module, name: imp.name });
    } else if (imp.kind === "table") {
      const capped = capLimits("table", importedTables.length, imp.type.limits, options.maxTableElements);
      importedTables.push({ ...capped, elemType: imp.type.elemType, module: imp.module, name: imp.name });
    }
  }
  const memories = info.memories.map((m, i) =>
    capLimits("memory", info.importedMemoryCount + i, m, options.maxMemoryPages),
  );
  const tables: CappedTable[] = info.tables.map((t, i) => ({
    ...capLimits("table", info.importedTableCount + i, t.type.limits, options.maxTableElements),
    elemType: t.type.elemType,
  }));

  const shift: IndexShift = {
    funcBoundary: info.importedFunctionCount,
    globalBoundary: info.importedGlobalCount,
  };
  const out = new ByteWriter(Math.ceil(bytes.length * 2.2) + 65_536);
  out.bytes(bytes, 0, 8);
  const payload = new ByteWriter(1024);
  const it = new InstructionReader(bytes);
  let wroteType = false;
  let wroteImport = false;
  const fuelTypeIndex = info.types.length;

  /** Starts a payload with section `s`'s vector (when present) and room counted for `added` more entries. */
  const extendVector = (s: SectionInfo | undefined, added: number): void => {
    payload.reset();
    if (s) {
      const r = new BinaryReader(bytes, s.start, s.end);
      const count = r.u32();
      payload.u32(count + added);
      payload.bytes(bytes, r.pos, s.end);
    } else {
      payload.u32(added);
    }
  };
  const writeTypeSection = (s: SectionInfo | undefined): void => {
    extendVector(s, 1);
    payload.bytes(FUNC_VOID);
    emit(out, SectionId.Type, payload);
    wroteType = true;
  };
  const writeImportSection = (s: SectionInfo | undefined): void => {
    extendVector(s, 2);
    payload.name(RESERVED_MODULE);
    payload.name(OUT_OF_FUEL);
    payload.u8(0x00);
    payload.u32(fuelTypeIndex);
    payload.name(RESERVED_MODULE);
    payload.name(FUEL_GLOBAL);
    payload.u8(0x03);
    payload.u8(0x7e);
    payload.u8(0x01);
    emit(out, SectionId.Import, payload);
    wroteImport = true;
  };

  for (const s of info.sections) {
    if (!meter && s.id !== SectionId.Memory && s.id !== SectionId.Table) {
      // without metering no index shifts: only the memory and table caps change the module
      copySection(out, bytes, s);
      continue;
    }
    if (meter && s.id !== SectionId.Custom) {
      // sections arrive in module order (checked by the reader): a missing type or import section goes
      // before the first known section that must follow it
      if (!wroteType && s.id !== SectionId.Type) writeTypeSection(undefined);
      if (!wroteImport && s.id !== SectionId.Type && s.id !== SectionId.Import) writeImportSection(undefined);
    }
    switch (s.id) {
      case SectionId.Custom:
        if (s.name === "name") writeNameSection(out, bytes, s, shift, payload);
        else copySection(out, bytes, s);
        break;
      case SectionId.Type:
        writeTypeSection(s);
        break;
      case SectionId.Import:
        writeImportSection(s);
        break;
      case SectionId.Memory:
        payload.reset();
        payload.u32(memories.length);
        for (const m of memories) writeLimits(payload, m);
        emit(out, s.id, payload);
        break;
      case SectionId.Table:
        writeTableSection(bytes, s, tables, meter ? shift : undefined, payload, it);
        emit(out, s.id, payload);
        break;
      case SectionId.Global:
        writeGlobalSection(bytes, s, info, shift, payload, it);
        emit(out, s.id, payload);
        break;
      case SectionId.Export:
        payload.reset();
        payload.u32(info.exports.length);
        for (const e of info.exports) {
          payload.name(e.name);
          payload.u8(EXPORT_KIND[e.kind]!);
          payload.u32(
            e.kind === "func"
              ? shiftFunc(shift, e.index)
              : e.kind === "global"
                ? shiftGlobal(shift, e.index)
                : e.index,
          );
        }
        emit(out, s.id, payload);
        break;
      case SectionId.Start:
        payload.reset();
        payload.u32(shiftFunc(shift, info.start!));
        emit(out, s.id, payload);
        break;
      case SectionId.Element:
        writeElementSection(bytes, s, shift, payload, it);
        emit(out, s.id, payload);
        break;
      case SectionId.Data:
        writeDataSection(bytes, s, shift, payload, it);
        emit(out, s.id, payload);
        break;
      case SectionId.Code: {
        out.u8(SectionId.Code);
        const sizeAt = out.reserveU32();
        out.u32(info.bodies.length);
        const rewriter = new BodyRewriter(bytes, {
          fuelGlobal: info.importedGlobalCount,
          outOfFuel: info.importedFunctionCount,
          shift,
          memory64: [...importedMemories, ...memories].map((m) => m.index64),
          table64: [...importedTables, ...tables].map((t) => t.index64),
          typeParams: (index) => {
            const type = info.types[index];
            return type?.kind === "func" ? type.params.length : 0;
          },
        });
        for (const body of info.bodies) {
          const type = functionType(info, info.importedFunctionCount + body.definedIndex);
          if (!type) {
            throw new SandboxError(
              ErrorCode.INVALID_MODULE,
              `Function ${body.definedIndex} has no function type`,
              {
                context: { offset: body.offset },
              },
            );
          }
          rewriter.rewrite(body.start, body.end, type.params.length, out);
        }
        out.patchU32(sizeAt, out.length - sizeAt - 5);
        break;
      }
      default:
        copySection(out, bytes, s);
    }
  }
  if (meter) {
    if (!wroteType) writeTypeSection(undefined);
    if (!wroteImport) writeImportSection(undefined);
  }
  return {
    bytes: out.toBytes(),
    memories,
    tables,
    importedMemories,
    importedTables,
    fuelImports: meter ? { module: RESERVED_MODULE, fuel: FUEL_GLOBAL, outOfFuel: OUT_OF_FUEL } : null,
  };
}

const FUNC_VOID = new Uint8Array([0x60, 0x00, 0x00]);

/** The name section with shifted indices, or nothing when it cannot be read (engines ignore it then too). */
function writeNameSection(
  out: ByteWriter,
  bytes: Uint8Array,
  s: SectionInfo,
  shift: IndexShift,
  payload: ByteWriter,
): void {
  const content = rewriteNameSection(bytes, s.contentStart ?? s.end, s.end, shift);
  if (content === undefined) return;
  payload.reset();
  payload.name("name");
  payload.bytes(content);
  emit(out, SectionId.Custom, payload);
}
const EXPORT_KIND: Record<string, number> = { func: 0, table: 1, memory: 2, global: 3, tag: 4 };

function writeTableSection(
  bytes: Uint8Array,
  s: SectionInfo,
  tables: CappedTable[],
  shift: IndexShift | undefined,
  payload: ByteWriter,
  it: InstructionReader,
): void {
  payload.reset();
  const r = new BinaryReader(bytes, s.start, s.end);
  const count = r.u32();
  payload.u32(count);
  for (let i = 0; i < count; i++) {
    const withInit = r.peekU8() === 0x40;
    if (withInit) {
      r.pos += 2;
      payload.u8(0x40);
      payload.u8(0x00);
    }
    // element type: copied as is; then limits replaced by the capped ones
    const typeStart = r.pos;
    const b = r.u8();
    if (b === 0x63 || b === 0x64) r.s33();
    payload.bytes(bytes, typeStart, r.pos);
    const flags = r.u8();
    if (flags & 0x04) r.u64Number();
    else r.u32();
    if (flags & 0x01) {
      if (flags & 0x04) r.u64Number();
      else r.u32();
    }
    writeLimits(payload, tables[i]!);
    if (withInit) {
      if (shift) r.pos = copyConstExpr(bytes, r.pos, s.end, shift, payload, it);
      else {
        const start = r.pos;
        it.reset(start, s.end);
        while (it.depth > 0) it.next();
        payload.bytes(bytes, start, it.pos);
        r.pos = it.pos;
      }
    }
  }
}

function writeGlobalSection(
  bytes: Uint8Array,
  s: SectionInfo,
  info: ModuleInfo,
  shift: IndexShift,
  payload: ByteWriter,
  it: InstructionReader,
): void {
  payload.reset();
  payload.u32(info.globals.length);
  const r = new BinaryReader(bytes, s.start, s.end);
  r.u32();
  let pos = r.pos;
  for (const g of info.globals) {
    payload.bytes(bytes, pos, g.init.start);
    pos = copyConstExpr(bytes, g.init.start, s.end, shift, payload, it);
  }
}

/**
 * Element and data sections: a vector of segments, each led by a u32 flags word that is copied as is;
 * `segment` copies the rest of one segment.
 */
function writeSegments(
  bytes: Uint8Array,
  s: SectionInfo,
  payload: ByteWriter,
  segment: (r: BinaryReader, flags: number) => void,
): void {
  payload.reset();
  const r = new BinaryReader(bytes, s.start, s.end);
  const count = r.u32();
  payload.u32(count);
  for (let i = 0; i < count; i++) {
    const flags = r.u32();
    payload.u32(flags);
    segment(r, flags);
  }
}

function writeElementSection(
  bytes: Uint8Array,
  s: SectionInfo,
  shift: IndexShift,
  payload: ByteWriter,
  it: InstructionReader,
): void {
  writeSegments(bytes, s, payload, (r, flags) => {
    const passiveOrDeclarative = (flags & 1) !== 0;
    const explicitTable = (flags & 2) !== 0;
    const exprs = (flags & 4) !== 0;
    if (!passiveOrDeclarative) {
      if (explicitTable) payload.u32(r.u32());
      r.pos = copyConstExpr(bytes, r.pos, s.end, shift, payload, it);
    }
    if (passiveOrDeclarative || explicitTable) {
      const start = r.pos;
      const b = r.u8();
      if (exprs && (b === 0x63 || b === 0x64)) r.s33();
      payload.bytes(bytes, start, r.pos);
    }
    const n = r.vecLength(1);
    payload.u32(n);
    for (let j = 0; j < n; j++) {
      if (exprs) r.pos = copyConstExpr(bytes, r.pos, s.end, shift, payload, it);
      else payload.u32(shiftFunc(shift, r.u32()));
    }
  });
}

function writeDataSection(
  bytes: Uint8Array,
  s: SectionInfo,
  shift: IndexShift,
  payload: ByteWriter,
  it: InstructionReader,
): void {
  writeSegments(bytes, s, payload, (r, flags) => {
    if (flags === 2) payload.u32(r.u32());
    if (flags !== 1) r.pos = copyConstExpr(bytes, r.pos, s.end, shift, payload, it);
    const start = r.pos;
    const len = r.u32();
    r.skip(len);
    payload.bytes(bytes, start, r.pos);
  });
}
