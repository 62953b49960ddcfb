// Generates a large, valid module for cold-start measurements: an `add` export plus many functions of
// straight-line arithmetic. Written directly in the binary format (an emitter, not a parser).

function leb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

function section(id: number, payload: number[] | Uint8Array): Uint8Array {
  const size = leb(payload.length);
  const out = new Uint8Array(1 + size.length + payload.length);
  out[0] = id;
  out.set(size, 1);
  out.set(payload, 1 + size.length);
  return out;
}

/** A module of about `targetBytes` bytes. */
export function bigModule(targetBytes: number): Uint8Array {
  const opsPerFunction = 300;
  const body = [0x00, 0x20, 0x00]; // no locals; local.get 0
  for (let i = 0; i < opsPerFunction; i++) body.push(0x41, (i % 63) + 1, 0x6a); // i32.const k; i32.add
  body.push(0x0b);
  const bodyWithSize = [...leb(body.length), ...body];
  const count = Math.max(1, Math.floor(targetBytes / bodyWithSize.length));
  // types: 0 = (i32, i32) -> i32 (add), 1 = (i32) -> i32
  const types = [0x02, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x60, 0x01, 0x7f, 0x01, 0x7f];
  const functions = [...leb(count + 1), 0x00, ...new Array<number>(count).fill(0x01)];
  const name = [...new TextEncoder().encode("add")];
  const exports = [0x01, name.length, ...name, 0x00, 0x00];
  const addBody = [0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6a, 0x0b];
  const code = new Uint8Array(leb(count + 1).length + addBody.length + count * bodyWithSize.length);
  let offset = 0;
  code.set(leb(count + 1), offset);
  offset += leb(count + 1).length;
  code.set(addBody, offset);
  offset += addBody.length;
  const one = Uint8Array.from(bodyWithSize);
  for (let i = 0; i < count; i++, offset += one.length) code.set(one, offset);
  const parts = [
    Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]),
    section(1, types),
    section(3, functions),
    section(7, exports),
    section(10, code),
  ];
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
