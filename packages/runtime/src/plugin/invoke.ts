// Calls through fixed-arity functions: no spread and no closure per call on the hot path.
type Fn = (...args: unknown[]) => unknown;
export type Invoker = (fn: Fn, args: readonly unknown[]) => unknown;

const INVOKERS: readonly Invoker[] = [
  (fn) => fn(),
  (fn, a) => fn(a[0]),
  (fn, a) => fn(a[0], a[1]),
  (fn, a) => fn(a[0], a[1], a[2]),
  (fn, a) => fn(a[0], a[1], a[2], a[3]),
];

export function invokerFor(arity: number): Invoker {
  return INVOKERS[arity] ?? ((fn, a) => fn(...a));
}
