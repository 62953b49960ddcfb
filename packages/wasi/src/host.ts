import {
  ErrorCode,
  type Permissions,
  ResourceExhaustedError,
  type ResourceLimits,
  SandboxError,
} from "@wasm-sandbox/manifest";
import { type Clock, createClock, DEFAULT_CLOCK_EPOCH } from "./clock.js";
import {
  DIR_READ_RIGHTS,
  DIR_RIGHTS,
  Errno,
  FILE_READ_RIGHTS,
  FILE_RIGHTS,
  STDIN_RIGHTS,
  STDOUT_RIGHTS,
  WRITE_RIGHTS,
} from "./constants.js";
import { fail } from "./errno.js";
import { type FdEntry, FdTable } from "./fd-table.js";
import { GuestMemory } from "./memory.js";
import { type Capability, grants, PERMISSION_NAME } from "./policy.js";
import { buildPreopens, type Preopen } from "./preopens.js";
import { createRandom, type RandomSource } from "./random.js";
import type { WasiCallIo, WasiCallResult, WasiOptions, WasiUsage } from "./types.js";

const encoder = new TextEncoder();
/** Denials kept per call: enough to see what a plugin tried, bounded against a hostile loop. */
const MAX_DENIALS = 64;

function cString(value: string, what: string): Uint8Array {
  if (value.includes("\0")) {
    throw new SandboxError(ErrorCode.INVALID_INPUT, `${what} contains a NUL character`, {
      suggestion: "WASI passes arguments and environment as C strings: remove NUL characters.",
      context: { what },
    });
  }
  return encoder.encode(`${value}\0`);
}

function emptyUsage(): WasiUsage {
  return { filesOpened: 0, bytesRead: 0, bytesWritten: 0, securityEvents: 0, denied: [] };
}

/** The state of one WASI instance: descriptors, per-call I/O, budgets and usage. Imports work on this. */
export class WasiHost {
  readonly memory = new GuestMemory();
  readonly fds = new FdTable();
  readonly permissions: Permissions;
  readonly limits: ResourceLimits;
  readonly clock: Clock;
  random: RandomSource;
  readonly #options: WasiOptions;

  args: Uint8Array[] = [];
  env: Uint8Array[] = [];
  stdin: Uint8Array = new Uint8Array(0);
  stdinPosition = 0;
  #stdout: Uint8Array[] = [];
  #stderr: Uint8Array[] = [];
  outputUsed = 0;
  usage: WasiUsage = emptyUsage();
  #callStart = performance.now();
  /** grants() per capability, computed once: checked on every call of the data path. */
  readonly #granted: Record<Capability, boolean>;
  readonly #preopens: Preopen[];

  constructor(options: WasiOptions) {
    this.#options = options;
    this.permissions = options.permissions;
    this.limits = options.limits;
    this.clock = createClock(options.permissions.clock, options.clockEpoch ?? DEFAULT_CLOCK_EPOCH);
    this.random = createRandom(options.permissions);
    const capabilities: Capability[] = [
      "none",
      "env",
      "filesystem",
      "filesystem-write",
      "network",
      "signals",
    ];
    this.#granted = Object.fromEntries(
      capabilities.map((c) => [c, grants(options.permissions, c)]),
    ) as Record<Capability, boolean>;
    this.#preopens = buildPreopens(options, () => this.clock.now(0));
    this.#openDescriptors();
    this.beginCall();
  }

  /** stdio 0-2 then the preopens from 3, as a new process finds them. */
  #openDescriptors(): void {
    for (const stream of [0, 1, 2] as const) {
      this.fds.add({
        kind: "stdio",
        stream,
        rights: stream === 0 ? STDIN_RIGHTS : STDOUT_RIGHTS,
        inheriting: 0,
        flags: 0,
      });
    }
    for (const preopen of this.#preopens) {
      const write = preopen.writable ? WRITE_RIGHTS : 0;
      this.fds.add({
        kind: "dir",
        backend: preopen.backend,
        parts: [],
        rights: DIR_RIGHTS & (DIR_READ_RIGHTS | write),
        inheriting: (DIR_RIGHTS | FILE_RIGHTS) & (DIR_READ_RIGHTS | FILE_READ_RIGHTS | write),
        flags: 0,
        preopen: preopen.name,
        listing: undefined,
      });
    }
  }

  /**
   * A new instance (the runtime re-instantiates after a trap): the old one's descriptors are closed and the
   * table starts over, and a seeded random stream restarts. Files in the in-memory /tmp stay, as a disk would.
   */
  resetInstance(): void {
    for (const [fd, entry] of [...this.fds.entries()]) {
      if (entry.kind === "file") entry.file.close();
      this.fds.delete(fd);
    }
    this.fds.opened = 0;
    this.random = createRandom(this.permissions);
    this.#openDescriptors();
  }

  beginCall(io: WasiCallIo = {}): void {
    const name = this.#options.programName ?? "plugin";
    this.args = [name, ...(io.args ?? [])].map((a, i) => cString(a, `argument ${i}`));
    const allowed = new Set(this.permissions.envVars);
    const merged: Record<string, string> = { ...this.#options.env, ...io.env };
    this.env = Object.entries(merged)
      .filter(([key]) => allowed.has(key))
      .map(([key, value]) => cString(`${key}=${value}`, `environment variable ${key}`));
    this.stdin = io.stdin ?? new Uint8Array(0);
    this.stdinPosition = 0;
    this.#stdout = [];
    this.#stderr = [];
    this.outputUsed = 0;
    this.usage = emptyUsage();
    this.#callStart = performance.now();
  }

  endCall(): WasiCallResult {
    return { stdout: concat(this.#stdout), stderr: concat(this.#stderr), usage: this.usage };
  }

  /** performance.now() after which the current call must not block any more. */
  deadline(): number {
    return this.#options.deadline?.() ?? this.#callStart + this.limits.timeout;
  }

  /** Records a refused capability (a security event) and fails with `errno`. */
  deny(fn: string, permission: string, errno: Errno): never {
    this.securityEvent(fn, permission);
    return fail(errno);
  }

  /** Counts a security event: the guest tried something `permission` does not allow. */
  securityEvent(fn: string, permission: string): void {
    this.usage.securityEvents++;
    this.#note(fn, permission);
  }

  /** Records an exhausted limit (not a security event) and fails with `errno`. */
  exhausted(fn: string, limit: string, errno: Errno): never {
    this.#note(fn, limit);
    return fail(errno);
  }

  #note(fn: string, permission: string): void {
    if (this.usage.denied.length < MAX_DENIALS) this.usage.denied.push({ function: fn, permission });
  }

  isGranted(capability: Capability): boolean {
    return this.#granted[capability];
  }

  /** Fails with ENOTCAPABLE (and a security event) unless the permissions grant `capability`. */
  require(fn: string, capability: Capability, errno: Errno = Errno.NOTCAPABLE): void {
    if (!this.#granted[capability]) {
      this.deny(fn, PERMISSION_NAME[capability as Exclude<Capability, "none">], errno);
    }
  }

  entry(fd: number): FdEntry {
    return this.fds.get(fd) ?? fail(Errno.BADF);
  }

  /** The entry, if it holds every right in `rights`; `errno` (default ENOTCAPABLE, a security event) otherwise. */
  withRights(fn: string, fd: number, rights: number, errno: Errno = Errno.NOTCAPABLE): FdEntry {
    const entry = this.entry(fd);
    if ((entry.rights & rights) !== rights) this.deny(fn, "fd rights", errno);
    return entry;
  }

  /** Appends guest output to stdout (1) or stderr (2) within limits.maxOutput. */
  output(stream: 1 | 2, bytes: Uint8Array): void {
    const limit = this.limits.maxOutput;
    const room = limit - this.outputUsed;
    const take = Math.min(room, bytes.length);
    if (take > 0) {
      (stream === 1 ? this.#stdout : this.#stderr).push(bytes.slice(0, take));
      this.outputUsed += take;
    }
    if (take < bytes.length) {
      throw new ResourceExhaustedError("output", limit, this.outputUsed + bytes.length - take, undefined, {
        suggestion: "Raise limits.maxOutput, or make the plugin write less to stdout/stderr.",
        context: { stream: stream === 1 ? "stdout" : "stderr" },
      });
    }
  }

  /** How many of `wanted` bytes the read budget still allows; EDQUOT when none. */
  readBudget(fn: string, wanted: number): number {
    const room = this.limits.maxReadBytes - this.usage.bytesRead;
    if (wanted > 0 && room <= 0) this.exhausted(fn, "limits.maxReadBytes", Errno.DQUOT);
    return Math.min(wanted, room);
  }

  /** How many of `wanted` bytes the write budget still allows; EDQUOT when none. */
  writeBudget(fn: string, wanted: number): number {
    const room = this.limits.maxWriteBytes - this.usage.bytesWritten;
    if (wanted > 0 && room <= 0) this.exhausted(fn, "limits.maxWriteBytes", Errno.DQUOT);
    return Math.min(wanted, room);
  }
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  let total = 0;
  for (const chunk of chunks) total += chunk.length;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
