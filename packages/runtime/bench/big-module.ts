// Generates a large, valid module for cold-start measurements: an `add` export plus many functions of
// straight-line arithmetic, written with the instrumenter's ByteWriter (an emitter, not a parser).
import { ByteWriter } from "@wasm-sandbox/validator";

const OPS_PER_FUNCTION = 300;

function section(out: ByteWriter, id: number, fill: (payload: ByteWriter) => void): void {
  const payload = new ByteWriter();
  fill(payload);
  out.u8(id);
  out.sized(payload);
}

/** A module of about `targetBytes` bytes. */
export function bigModule(targetBytes: number): Uint8Array {
  const body = new ByteWriter();
  body.u8(0x00); // no locals
  body.bytes(Uint8Array.of(0x20, 0x00)); // local.get 0
  for (let i = 0; i < OPS_PER_FUNCTION; i++) body.bytes(Uint8Array.of(0x41, (i % 63) + 1, 0x6a)); // i32.const k; i32.add
  body.u8(0x0b);
  const sizedBody = new ByteWriter();
  sizedBody.sized(body);
  const one = sizedBody.toBytes();
  const count = Math.max(1, Math.floor(targetBytes / one.length));
  const out = new ByteWriter(targetBytes + 1024);
  out.bytes(Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00));
  // types: 0 = (i32, i32) -> i32 for add, 1 = (i32) -> i32 for the filler functions
  section(out, 1, (p) =>
    p.bytes(Uint8Array.of(0x02, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x60, 0x01, 0x7f, 0x01, 0x7f)),
  );
  section(out, 3, (p) => {
    p.u32(count + 1);
    p.u8(0x00);
    for (let i = 0; i < count; i++) p.u8(0x01);
  });
  section(out, 7, (p) => {
    p.u32(1);
    p.name("add");
    p.u8(0x00);
    p.u32(0);
  });
  section(out, 10, (p) => {
    p.u32(count + 1);
    p.bytes(Uint8Array.of(0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6a, 0x0b));
    for (let i = 0; i < count; i++) p.bytes(one);
  });
  return out.toBytes();
}
