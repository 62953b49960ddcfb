import { TimeoutError } from "@wasm-sandbox/manifest";
import { Errno, EventType, Rights, SIZE, SubclockFlags } from "./constants.js";
import { fail } from "./errno.js";
import { WasiExit } from "./exit.js";
import type { WasiHost } from "./host.js";
import { PERMISSION_NAME } from "./policy.js";

/** More subscriptions than this in one poll_oneoff is EINVAL (like poll's nfds above RLIMIT_NOFILE). */
export const MAX_SUBSCRIPTIONS = 65_536;
/** Sleeps block the thread on this (Atomics.wait is allowed on Node's main thread). */
const sleeper = new Int32Array(new SharedArrayBuffer(4));

function sleep(ms: number): void {
  if (ms > 0) Atomics.wait(sleeper, 0, 0, ms);
}

/** Writes a list of NUL-terminated strings as argv/environ: pointers at `listPtr`, bytes at `bufPtr`. */
function writeStrings(host: WasiHost, strings: Uint8Array[], listPtr: number, bufPtr: number): void {
  const mem = host.memory;
  let size = 0;
  for (const s of strings) size += s.length;
  mem.check(listPtr, strings.length * 4);
  mem.check(bufPtr, size);
  let offset = bufPtr;
  strings.forEach((s, i) => {
    mem.setU32(listPtr + i * 4, offset);
    mem.bytes.set(s, offset);
    offset += s.length;
  });
}

function writeSizes(host: WasiHost, strings: Uint8Array[], countPtr: number, sizePtr: number): void {
  const mem = host.memory;
  mem.check(countPtr, 4);
  mem.check(sizePtr, 4);
  let size = 0;
  for (const s of strings) size += s.length;
  mem.setU32(countPtr, strings.length);
  mem.setU32(sizePtr, size);
}

interface Pending {
  userdata: bigint;
  type: number;
  /** For clocks: ms from now until it fires; for fds: the ready event's fields. */
  delayMs: number;
  error: number;
  nbytes: bigint;
}

/** args, environ, clocks, random, poll_oneoff, proc_*, sched_yield and the socket functions. */
export function miscImports(host: WasiHost) {
  const mem = host.memory;

  /**
   * Preview1 sockets exist only when preopened, which never happens here: every fd is EBADF (not open) or
   * ENOTSOCK, as POSIX says. Without the network permission the attempt is still a security event.
   */
  const socket = (fn: string, fd: number): never => {
    if (!host.isGranted("network")) host.securityEvent(fn, PERMISSION_NAME.network);
    host.entry(fd);
    return fail(Errno.NOTSOCK);
  };

  /** Environ without permission is empty, and asking is a security event. */
  const environ = (fn: string): Uint8Array[] => {
    if (host.permissions.envVars.length === 0) host.securityEvent(fn, PERMISSION_NAME.env);
    return host.env;
  };

  return {
    args_sizes_get: (countPtr: number, sizePtr: number): number => {
      writeSizes(host, host.args, countPtr, sizePtr);
      return Errno.SUCCESS;
    },
    args_get: (argvPtr: number, bufPtr: number): number => {
      writeStrings(host, host.args, argvPtr, bufPtr);
      return Errno.SUCCESS;
    },
    environ_sizes_get: (countPtr: number, sizePtr: number): number => {
      writeSizes(host, environ("environ_sizes_get"), countPtr, sizePtr);
      return Errno.SUCCESS;
    },
    environ_get: (environPtr: number, bufPtr: number): number => {
      writeStrings(host, environ("environ_get"), environPtr, bufPtr);
      return Errno.SUCCESS;
    },

    clock_res_get: (id: number, ptr: number): number => {
      const resolution = host.clock.resolution(id);
      mem.setU64(ptr, resolution);
      return Errno.SUCCESS;
    },
    clock_time_get: (id: number, _precision: bigint, ptr: number): number => {
      const now = host.clock.now(id);
      mem.setU64(ptr, now);
      return Errno.SUCCESS;
    },

    random_get: (buf: number, len: number): number => {
      host.random(mem.slice(buf, len));
      return Errno.SUCCESS;
    },

    sched_yield: (): number => Errno.SUCCESS,

    proc_exit: (code: number): never => {
      throw new WasiExit(code >>> 0);
    },
    proc_raise: (_signal: number): number => {
      return host.deny("proc_raise", PERMISSION_NAME.signals, Errno.NOSYS);
    },

    poll_oneoff(inPtr: number, outPtr: number, count: number, neventsPtr: number): number {
      if (count === 0 || count > MAX_SUBSCRIPTIONS) fail(Errno.INVAL);
      mem.check(inPtr, count * SIZE.SUBSCRIPTION);
      mem.check(outPtr, count * SIZE.EVENT);
      mem.check(neventsPtr, 4);
      const v = mem.view;
      const pending: Pending[] = [];
      let readyNow = false;
      let firstClock = Number.POSITIVE_INFINITY;
      for (let i = 0; i < count; i++) {
        const at = inPtr + i * SIZE.SUBSCRIPTION;
        const userdata = v.getBigUint64(at, true);
        const type = v.getUint8(at + 8);
        if (type === EventType.CLOCK) {
          const id = v.getUint32(at + 16, true);
          const timeout = v.getBigUint64(at + 24, true);
          const flags = v.getUint16(at + 40, true);
          let delayNs: bigint;
          try {
            delayNs = (flags & SubclockFlags.ABSTIME) !== 0 ? timeout - host.clock.now(id) : timeout;
          } catch {
            pending.push({ userdata, type, delayMs: 0, error: Errno.INVAL, nbytes: 0n });
            readyNow = true;
            continue;
          }
          const delayMs = host.clock.flows ? Math.max(0, Number(delayNs) / 1e6) : 0;
          firstClock = Math.min(firstClock, delayMs);
          pending.push({ userdata, type, delayMs, error: Errno.SUCCESS, nbytes: 0n });
        } else if (type === EventType.FD_READ || type === EventType.FD_WRITE) {
          const fd = v.getUint32(at + 16, true);
          readyNow = true;
          const entry = host.fds.get(fd);
          let error: number = Errno.SUCCESS;
          let nbytes = 0n;
          if (entry === undefined) error = Errno.BADF;
          else if ((entry.rights & Rights.POLL_FD_READWRITE) === 0) error = Errno.NOTCAPABLE;
          else if (entry.kind === "dir") error = Errno.ISDIR;
          else if (type === EventType.FD_READ) {
            if ((entry.rights & Rights.FD_READ) === 0) error = Errno.BADF;
            else if (entry.kind === "stdio")
              nbytes = BigInt(Math.max(0, host.stdin.length - host.stdinPosition));
            else nbytes = BigInt(Math.max(0, entry.file.size() - entry.position));
          } else {
            if ((entry.rights & Rights.FD_WRITE) === 0) error = Errno.BADF;
            else if (entry.kind === "stdio")
              nbytes = BigInt(Math.max(0, host.limits.maxOutput - host.outputUsed));
            else nbytes = BigInt(Math.max(0, host.permissions.filesystem.maxFileSize - entry.position));
          }
          pending.push({ userdata, type, delayMs: 0, error, nbytes });
        } else {
          pending.push({ userdata, type, delayMs: 0, error: Errno.INVAL, nbytes: 0n });
          readyNow = true;
        }
      }
      // Nothing ready: block until the first clock fires, but never past the call's deadline.
      let fireBefore = 0;
      if (!readyNow && firstClock > 0) {
        const start = performance.now();
        const deadline = host.deadline();
        if (start + firstClock > deadline) {
          sleep(deadline - start);
          const elapsed = performance.now() - start;
          throw new TimeoutError(
            host.limits.timeout,
            elapsed,
            "poll_oneoff would sleep past the call's deadline",
            {
              suggestion: "Sleep less, or raise limits.timeout.",
              context: { function: "poll_oneoff", requestedMs: firstClock },
            },
          );
        }
        sleep(firstClock);
        fireBefore = firstClock;
      }
      let n = 0;
      for (const p of pending) {
        const fires = p.type !== EventType.CLOCK || p.error !== Errno.SUCCESS || p.delayMs <= fireBefore;
        if (!fires) continue;
        const at = outPtr + n * SIZE.EVENT;
        mem.bytes.fill(0, at, at + SIZE.EVENT);
        v.setBigUint64(at, p.userdata, true);
        v.setUint16(at + 8, p.error, true);
        v.setUint8(at + 10, p.type);
        v.setBigUint64(at + 16, p.nbytes, true);
        v.setUint16(at + 24, 0, true);
        n++;
      }
      mem.setU32(neventsPtr, n);
      return Errno.SUCCESS;
    },

    sock_accept: (fd: number, _flags: number, _fdPtr: number): number => socket("sock_accept", fd),
    sock_recv: (
      fd: number,
      _ri: number,
      _riLen: number,
      _flags: number,
      _roLen: number,
      _roFlags: number,
    ): number => socket("sock_recv", fd),
    sock_send: (fd: number, _si: number, _siLen: number, _flags: number, _soLen: number): number =>
      socket("sock_send", fd),
    sock_shutdown: (fd: number, _how: number): number => socket("sock_shutdown", fd),
  };
}
