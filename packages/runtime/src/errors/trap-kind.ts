import type { TrapKind } from "@wasm-sandbox/manifest";

// V8's WebAssembly.RuntimeError messages (Node 20), most specific first.
const TRAP_MESSAGES: readonly [RegExp, TrapKind][] = [
  [/unreachable/i, "unreachable"],
  [/(data|element) segment.*out of bounds/i, "out-of-bounds"],
  [/table index is out of bounds|table access out of bounds/i, "undefined-element"],
  [
    /memory access out of bounds|out of bounds memory access|array element access out of bounds/i,
    "out-of-bounds",
  ],
  [/(divide|remainder) by zero/i, "divide-by-zero"],
  [/divide result unrepresentable|integer overflow/i, "integer-overflow"],
  [/float unrepresentable|invalid conversion/i, "invalid-conversion"],
  // Node 20's V8 reports a missing element and a wrong signature with this one message.
  [/signature mismatch|indirect call type mismatch/i, "indirect-call-type-mismatch"],
  [/null function|uninitialized element/i, "undefined-element"],
  [/dereferencing a null pointer|null reference/i, "null-reference"],
  [/unaligned|misaligned/i, "misaligned-access"],
  [/table.*out of bounds|out of bounds table/i, "table-out-of-bounds"],
];

/** The kind of a WebAssembly trap, read from the engine's message. */
export function trapKindOf(message: string): TrapKind {
  for (const [pattern, kind] of TRAP_MESSAGES) if (pattern.test(message)) return kind;
  return "unknown";
}
