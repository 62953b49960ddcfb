import type { Permissions } from "@wasm-sandbox/manifest";
import { ErrorCode, SandboxError } from "@wasm-sandbox/manifest";

/** Fills a byte range with random bytes. */
export type RandomSource = (into: Uint8Array) => void;

/** crypto.getRandomValues refuses more than 65536 bytes at once. */
const CHUNK = 65_536;

export const secureRandom: RandomSource = (into) => {
  for (let offset = 0; offset < into.length; offset += CHUNK) {
    crypto.getRandomValues(into.subarray(offset, Math.min(offset + CHUNK, into.length)));
  }
};

const MASK64 = (1n << 64n) - 1n;

/** SplitMix64, used only to expand the seed into xoshiro's 128-bit state. */
function splitmix64(state: { s: bigint }): bigint {
  state.s = (state.s + 0x9e3779b97f4a7c15n) & MASK64;
  let z = state.s;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return z ^ (z >> 31n);
}

const rotl = (x: number, k: number) => (x << k) | (x >>> (32 - k));

/**
 * A deterministic stream: xoshiro128** (Blackman and Vigna) whose state is seeded by two SplitMix64 outputs
 * of `seed`. The same seed gives the same bytes on every platform; the stream continues across calls of one
 * instance and restarts with a new instance. Not cryptographically secure, by design.
 */
export function seededRandom(seed: number): RandomSource {
  const sm = { s: BigInt(seed) };
  const a = splitmix64(sm);
  const b = splitmix64(sm);
  let s0 = Number(a & 0xffffffffn) | 0;
  let s1 = Number(a >> 32n) | 0;
  let s2 = Number(b & 0xffffffffn) | 0;
  let s3 = Number(b >> 32n) | 0;
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1;
  const next = (): number => {
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return result;
  };
  return (into) => {
    let i = 0;
    for (; i + 4 <= into.length; i += 4) {
      const v = next();
      into[i] = v;
      into[i + 1] = v >>> 8;
      into[i + 2] = v >>> 16;
      into[i + 3] = v >>> 24;
    }
    if (i < into.length) {
      let v = next();
      for (; i < into.length; i++, v >>>= 8) into[i] = v;
    }
  };
}

export function createRandom(permissions: Permissions): RandomSource {
  if (permissions.random === "secure") return secureRandom;
  if (permissions.randomSeed === undefined) {
    throw new SandboxError(
      ErrorCode.INVALID_ARGUMENT,
      'permissions.random is "seeded" but randomSeed is missing',
      {
        suggestion: 'Set permissions.randomSeed to a whole number, or use random: "secure".',
        context: { permission: "random" },
      },
    );
  }
  return seededRandom(permissions.randomSeed);
}
