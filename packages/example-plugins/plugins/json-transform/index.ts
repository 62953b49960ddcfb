// JSON transform: json entries working on parsed JSON values.

import { ARRAY, NUMBER, OBJECT, parse, STRING, stringify, Value } from "../../sdk/json";
import { fail, readInput, writeOutput } from "../../sdk/sandbox";

function params(): Value | null {
  const value = parse(readInput());
  return value != null && value.kind === ARRAY ? value : null;
}

/** pick(object, keys): a new object with only the listed keys, in the listed order. */
export function pick(): i32 {
  const p = params();
  if (p == null || p.items.length !== 2 || p.items[0].kind !== OBJECT || p.items[1].kind !== ARRAY)
    return fail("pick expects [object, string[]]");
  const source = p.items[0];
  const keys = p.items[1].items;
  const out = Value.object();
  for (let i = 0; i < keys.length; i++) {
    if (keys[i].kind !== STRING) return fail("pick keys must be strings");
    const found = source.get(keys[i].str);
    if (found != null) out.set(keys[i].str, found);
  }
  writeOutput(stringify(out));
  return 0;
}

function flattenInto(prefix: string, value: Value, out: Value): void {
  if (value.kind === OBJECT && value.keys.length > 0) {
    for (let i = 0; i < value.keys.length; i++) {
      const key = prefix.length > 0 ? `${prefix}.${value.keys[i]}` : value.keys[i];
      flattenInto(key, value.items[i], out);
    }
  } else out.set(prefix, value);
}

/** flatten(object): nested objects become dotted keys ({"a":{"b":1}} -> {"a.b":1}). */
export function flatten(): i32 {
  const p = params();
  if (p == null || p.items.length !== 1 || p.items[0].kind !== OBJECT)
    return fail("flatten expects [object]");
  const out = Value.object();
  flattenInto("", p.items[0], out);
  writeOutput(stringify(out));
  return 0;
}

/** stats(numbers): count, sum, min, max and mean of a number array. */
export function stats(): i32 {
  const p = params();
  if (p == null || p.items.length !== 1 || p.items[0].kind !== ARRAY) return fail("stats expects [number[]]");
  const list = p.items[0].items;
  if (list.length === 0) return fail("stats needs at least one number");
  let sum: f64 = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < list.length; i++) {
    if (list[i].kind !== NUMBER) return fail("stats expects only numbers");
    const n = list[i].num;
    sum += n;
    if (n < min) min = n;
    if (n > max) max = n;
  }
  const out = Value.object()
    .set("count", Value.number(list.length))
    .set("sum", Value.number(sum))
    .set("min", Value.number(min))
    .set("max", Value.number(max))
    .set("mean", Value.number(sum / list.length));
  writeOutput(stringify(out));
  return 0;
}
