import { IssueCode } from "./codes.js";
import type { ModuleLocation } from "./issues.js";

/** A compile error from the engine, split into parts and translated into a sentence and a suggestion. */
export interface TranslatedEngineError {
  code: IssueCode;
  message: string;
  suggestion: string;
  location: ModuleLocation;
  /** The engine's own words, without the "WebAssembly.Module():" prefix and the offset suffix. */
  raw: string;
}

const REBUILD =
  "Rebuild the plugin with its toolchain; if it still fails, the file was damaged after compilation.";

interface Rule {
  test: RegExp;
  code: IssueCode;
  say: (m: RegExpMatchArray) => string;
  suggestion?: string;
  section?: (m: RegExpMatchArray) => string | undefined;
}

const SECTION_NAMES: Record<string, string> = {
  Unknown: "custom",
  Type: "type",
  Import: "import",
  Function: "function",
  Table: "table",
  Memory: "memory",
  Global: "global",
  Export: "export",
  Start: "start",
  Element: "element",
  Code: "code",
  Data: "data",
  DataCount: "datacount",
  Tag: "tag",
};

/** Module-level rules, tried in order against the engine's message (V8's wording). */
const MODULE_RULES: Rule[] = [
  {
    test: /enable via --experimental-wasm-([\w-]+)/,
    code: IssueCode.UNSUPPORTED,
    say: (m) => `The module uses the ${m[1]} proposal, which this engine does not enable.`,
    suggestion: "Rebuild the plugin without that proposal (check the toolchain's target features).",
  },
  {
    test: /BufferSource argument is empty/,
    code: IssueCode.EMPTY_MODULE,
    say: () => "The module is empty: there are no bytes to check.",
    suggestion:
      "Pass the contents of a .wasm file; an empty read usually means a wrong path or a failed build.",
  },
  {
    test: /expected version 01 00 00 00, found 0d 00 01 00/,
    code: IssueCode.BAD_VERSION,
    say: () => "This is a WebAssembly component (component-model binary), not a core module.",
    suggestion:
      "Plugins must be core modules: build for wasm32-wasip1 (or unbundle the core module from the component).",
  },
  {
    test: /expected magic word 00 61 73 6d, found ([0-9a-f ]+)/,
    code: IssueCode.BAD_MAGIC,
    say: (m) =>
      `This is not a WebAssembly binary: it should start with the bytes 00 61 73 6d ("\\0asm") but starts with ${m[1]}.`,
    suggestion:
      "Check that you passed the .wasm file itself (not a .wat text file, a zip, or a JavaScript wrapper).",
  },
  {
    test: /expected version 01 00 00 00, found ([0-9a-f ]+)/,
    code: IssueCode.BAD_VERSION,
    say: (m) => `The binary format version is ${m[1]}; only version 1 (01 00 00 00) exists for core modules.`,
    suggestion: "Rebuild the plugin with a current toolchain that emits standard WebAssembly 1.0 binaries.",
  },
  {
    test: /section \(code (\d+), "(\w+)"\) extends past end of the module \(length (\d+), remaining bytes (\d+)\)/,
    code: IssueCode.SECTION_SIZE_MISMATCH,
    say: (m) =>
      `The ${SECTION_NAMES[m[2]!] ?? m[2]} section claims ${m[3]} bytes but only ${m[4]} remain: the file is cut short or the size is wrong.`,
    suggestion:
      "The file is probably truncated (an interrupted download or copy): fetch or rebuild it again.",
    section: (m) => SECTION_NAMES[m[2]!],
  },
  {
    test: /section was (shorter|longer) than expected size \((\d+) bytes expected, (\d+) decoded/,
    code: IssueCode.SECTION_SIZE_MISMATCH,
    say: (m) =>
      `A section declares ${m[2]} bytes but its contents take ${m[3]}: the size field does not match.`,
    suggestion: REBUILD,
  },
  {
    test: /fell off end|expected section length|expected \d+ bytes/,
    code: IssueCode.TRUNCATED,
    say: () => "The module ends in the middle of a value: the file is cut short.",
    suggestion:
      "The file is probably truncated (an interrupted download or copy): fetch or rebuild it again.",
  },
  {
    test: /extra bits in varint|length overflow|invalid (?:LEB|leb)|varint/,
    code: IssueCode.MALFORMED_INTEGER,
    say: () =>
      "An integer is encoded with more bytes or more bits than its type allows (a malformed LEB128).",
    suggestion: REBUILD,
  },
  {
    test: /unknown section code #0x([0-9a-f]+)/,
    code: IssueCode.UNKNOWN_SECTION,
    say: (m) =>
      `Section id 0x${m[1]} does not exist in WebAssembly: the bytes are corrupt or from an unknown proposal.`,
    suggestion: REBUILD,
  },
  {
    test: /unexpected section <(\w+)>/,
    code: IssueCode.SECTION_ORDER,
    say: (m) =>
      `The ${SECTION_NAMES[m[1]!] ?? m[1]} section appears out of order or twice; sections must appear once, in the order the specification fixes.`,
    suggestion: REBUILD,
    section: (m) => SECTION_NAMES[m[1]!],
  },
  {
    test: /function count is (\d+), but code section is absent|function body count (\d+) mismatch \((\d+) expected\)/,
    code: IssueCode.FUNCTION_CODE_MISMATCH,
    say: (m) =>
      m[1] !== undefined
        ? `The module declares ${m[1]} functions but has no code section for their bodies.`
        : `The code section holds ${m[2]} function bodies but the function section declares ${m[3]}.`,
    suggestion: REBUILD,
    section: () => "code",
  },
  {
    test: /(\w+) count of (\d+) exceeds internal limit of (\d+)/,
    code: IssueCode.IMPLEMENTATION_LIMIT,
    say: (m) => `The module declares ${m[2]} ${m[1]}; engines accept at most ${m[3]}.`,
    suggestion: "No real plugin needs this many: the bytes are corrupt or hostile. Rebuild the plugin.",
  },
  {
    test: /(initial|maximum) (memory|table) size \((\d+) (pages|elements)\) is larger than implementation limit \((\d+)/,
    code: IssueCode.IMPLEMENTATION_LIMIT,
    say: (m) => `The ${m[2]}'s ${m[1]} size of ${m[3]} ${m[4]} is above the engine's limit of ${m[5]}.`,
    suggestion: "Lower the memory or table size in the plugin's build settings.",
  },
  {
    test: /data segments count (\d+) mismatch \((\d+) expected\)/,
    code: IssueCode.INVALID_MODULE,
    say: (m) => `The data count section announces ${m[2]} data segments but the data section holds ${m[1]}.`,
    suggestion: REBUILD,
    section: () => "data",
  },
  {
    test: /invalid start function/,
    code: IssueCode.INVALID_MODULE,
    say: () => "The start function must take no parameters and return nothing.",
    suggestion:
      "Make the start function `() -> ()`, or remove the start section and export an init function.",
    section: () => "start",
  },
  {
    test: /Duplicate export name '([^']*)'/,
    code: IssueCode.INVALID_MODULE,
    say: (m) => `Two exports share the name "${m[1]}"; export names must be unique.`,
    suggestion: "Rename one of the exports in the plugin source.",
    section: () => "export",
  },
  {
    test: /no valid UTF-8 string/,
    code: IssueCode.INVALID_MODULE,
    say: () => "A name (of a section, import or export) is not valid UTF-8 text.",
    suggestion: REBUILD,
  },
  {
    test: /no signature at index (\d+) \((\d+) signatures?\)/,
    code: IssueCode.INVALID_MODULE,
    say: (m) => `Something refers to type ${m[1]}, but the module declares only ${m[2]} type(s).`,
  },
  {
    test: /(function|global|table|memory|tag) index (\d+) out of bounds \((\d+) entr/,
    code: IssueCode.INVALID_MODULE,
    say: (m) => `Something refers to ${m[1]} ${m[2]}, but the module has only ${m[3]}.`,
  },
  {
    test: /(unknown import|invalid export) kind 0x([0-9a-f]+)/,
    code: IssueCode.INVALID_MODULE,
    say: (m) =>
      `An ${m[1] === "unknown import" ? "import" : "export"} has kind 0x${m[2]}; kinds are 0 (function), 1 (table), 2 (memory), 3 (global) and 4 (tag).`,
  },
  {
    test: /Expected signature definition 0x60, got 0x([0-9a-f]+)/,
    code: IssueCode.INVALID_MODULE,
    say: (m) =>
      `A type entry starts with 0x${m[1]} where a function type (0x60) is expected (corrupt bytes, or GC types this engine does not enable).`,
  },
  {
    test: /maximum (memory|table) size \((\d+) (pages|elements)\) is less than initial \((\d+)/,
    code: IssueCode.INVALID_MODULE,
    say: (m) => `A ${m[1]}'s maximum (${m[2]} ${m[3]}) is smaller than its initial size (${m[4]}).`,
  },
  {
    test: /opcode ([\w.]+) is not allowed in constant expressions/,
    code: IssueCode.INVALID_MODULE,
    say: (m) =>
      `An initializer (global, element or data offset) uses ${m[1]}; initializers may only use constants and global.get.`,
  },
  {
    test: /invalid memory index != 0|memory index/,
    code: IssueCode.INVALID_MODULE,
    say: () =>
      "Something uses a memory other than memory 0 (multiple memories are not enabled in this engine).",
  },
  {
    test: /^expected ([\w ]+?) count$|^expected (signature index|maximum size|index:|offset)|^expected\s+length/,
    code: IssueCode.TRUNCATED,
    say: () => "A section ends where another value was expected: its size or contents are cut short.",
  },
  {
    test: /invalid value type 0x([0-9a-f]+)/,
    code: IssueCode.INVALID_MODULE,
    say: (m) =>
      `Byte 0x${m[1]} is not a value type this engine knows (corrupt bytes or an unsupported proposal).`,
    suggestion: REBUILD,
  },
];

/** Rules for the part after "Compiling function #N failed:". */
const BODY_RULES: { test: RegExp; code?: IssueCode; say: (m: RegExpMatchArray) => string }[] = [
  {
    test: /local count too large|too many locals/,
    code: IssueCode.IMPLEMENTATION_LIMIT,
    say: () => "declares more local variables than any engine accepts",
  },
  {
    test: /type error in (fallthru|return|branch|br|br_if|br_table)\[(\d+)\] \(expected (\w+), got (\w+)\)/,
    say: (m) =>
      `leaves a value of type ${m[4]} where its ${m[1] === "fallthru" ? "block or function result" : `${m[1]} target`} needs ${m[3]} (result ${m[2]})`,
  },
  {
    test: /type error in (\S+)\[(\d+)\] \(expected (\w+), got (\w+)\)/,
    say: (m) => `passes a value of type ${m[4]} as operand ${m[2]} of ${m[1]}, which expects ${m[3]}`,
  },
  {
    test: /expected (\d+) elements on the stack for (\w+), found (\d+)/,
    say: (m) =>
      `ends a ${m[2] === "fallthru" ? "block" : m[2]} with ${m[3]} value(s) on the stack where ${m[1]} are expected`,
  },
  {
    test: /not enough arguments on the stack for (\S+) \(need (\d+), got (\d+)\)/,
    say: (m) => `calls ${m[1]} with ${m[3]} operand(s) on the stack where it needs ${m[2]}`,
  },
  { test: /invalid local index: (\d+)/, say: (m) => `uses local variable ${m[1]}, which does not exist` },
  { test: /Invalid global index: (\d+)/i, say: (m) => `uses global ${m[1]}, which does not exist` },
  {
    test: /function index #(\d+) is out of bounds/,
    say: (m) => `calls function ${m[1]}, which does not exist`,
  },
  { test: /invalid table index: (\d+)/, say: (m) => `uses table ${m[1]}, which does not exist` },
  {
    test: /memory instruction with no memory/,
    say: () => "reads or writes memory, but the module has no memory",
  },
  {
    test: /Invalid opcode 0x([0-9a-f]+)/i,
    say: (m) =>
      `contains byte 0x${m[1]}, which is not an instruction this engine knows (corrupt bytes or an unsupported proposal)`,
  },
  { test: /function body must end with "end" opcode/, say: () => 'does not end with the "end" instruction' },
  {
    test: /local decls count bigger than remaining function size/,
    say: () =>
      "declares more local-variable groups than its body has bytes (a corrupt body size or locals list)",
  },
  {
    test: /invalid alignment; expected maximum alignment is (\d+), actual alignment is (\d+)/,
    say: (m) => `uses a memory alignment hint of 2^${m[2]} where at most 2^${m[1]} is allowed`,
  },
  {
    test: /^([\w.]+)\[(\d+)\] expected type (\w+), found ([\w.]+) of type (\w+)/,
    say: (m) => `passes the ${m[5]} result of ${m[4]} as operand ${m[2]} of ${m[1]}, which expects ${m[3]}`,
  },
  {
    test: /immutable global #(\d+) cannot be assigned/,
    say: (m) => `assigns to global ${m[1]}, which is immutable`,
  },
  { test: /invalid signature index: (\d+)/, say: (m) => `refers to type ${m[1]}, which does not exist` },
  {
    test: /block type index (\d+) is not a signature definition/,
    say: (m) => `uses type ${m[1]} as a block type, but it is not a function type`,
  },
  {
    test: /expected memory index \d+, found \d+|memory index/,
    say: () => "uses a memory other than memory 0",
  },
  {
    test: /Invalid prefixed opcode (\d+)/i,
    say: (m) => `contains prefixed opcode ${m[1]}, which this engine does not know`,
  },
];

const PREFIX = /^(?:WebAssembly\.\w+\(\):\s*)/;
const OFFSET = /\s*@\+(\d+)\s*$/;
const FUNCTION_FAILED = /^Compiling function #(\d+)(?::"([^"]*)")? failed:\s*(.*)$/s;

/** Splits the engine's "... @+123" message into the text and the byte offset. */
export function splitEngineMessage(message: string): { raw: string; offset: number | undefined } {
  let raw = message.replace(PREFIX, "");
  const m = OFFSET.exec(raw);
  let offset: number | undefined;
  if (m) {
    offset = Number(m[1]);
    raw = raw.slice(0, m.index);
  }
  return { raw, offset };
}

/** Turns a V8 compile error message into an issue code, a plain sentence and a suggestion. */
export function translateEngineMessage(message: string): TranslatedEngineError {
  const { raw, offset } = splitEngineMessage(message);
  const location: ModuleLocation = {};
  if (offset !== undefined) location.offset = offset;

  const fn = FUNCTION_FAILED.exec(raw);
  if (fn) {
    const index = Number(fn[1]);
    const name = fn[2] ? ` ("${fn[2]}")` : "";
    const detail = fn[3] ?? "";
    location.section = "code";
    location.functionIndex = index;
    for (const rule of BODY_RULES) {
      const m = rule.test.exec(detail);
      if (!m) continue;
      const code = rule.code ?? IssueCode.INVALID_FUNCTION_BODY;
      return {
        code,
        message: `Function ${index}${name} is invalid: it ${rule.say(m)}.`,
        suggestion:
          code === IssueCode.IMPLEMENTATION_LIMIT
            ? "No compiler emits this: the bytes are corrupt or hostile. Rebuild the plugin."
            : "The compiler emitted invalid code or the bytes were altered: rebuild the plugin and report it to the toolchain if it persists.",
        location,
        raw,
      };
    }
    return {
      code: IssueCode.INVALID_FUNCTION_BODY,
      message: `Function ${index}${name} is invalid: the engine reports "${detail}".`,
      suggestion: REBUILD,
      location,
      raw,
    };
  }

  for (const rule of MODULE_RULES) {
    const m = rule.test.exec(raw);
    if (!m) continue;
    const section = rule.section?.(m);
    if (section !== undefined) location.section = section;
    return { code: rule.code, message: rule.say(m), suggestion: rule.suggestion ?? REBUILD, location, raw };
  }
  return {
    code: IssueCode.INVALID_MODULE,
    message: `The engine rejects the module: ${raw}.`,
    suggestion: REBUILD,
    location,
    raw,
  };
}
