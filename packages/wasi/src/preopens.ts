import * as fs from "node:fs";
import { join } from "node:path";
import { ErrorCode, SandboxError } from "@wasm-sandbox/manifest";
import type { WasiOptions } from "./types.js";
import { HostBackend } from "./vfs/hostfs.js";
import { MemoryBackend } from "./vfs/memfs.js";
import type { Backend } from "./vfs/types.js";

/** One directory the guest finds at startup (fd 3, 4, ...). */
export interface Preopen {
  /** The granted guest path ("/data"). */
  guestPath: string;
  /** What fd_prestat_dir_name reports: the guest path, or its `preopenNames` label. */
  name: string;
  backend: Backend;
  writable: boolean;
}

export const TEMP_DIR = "/tmp";
export const DEFAULT_TEMP_DIR_BYTES = 64 * 1024 * 1024;

function normalise(path: string): string {
  return path.length > 1 && path.endsWith("/") ? path.replace(/\/+$/, "") : path;
}

function invalid(message: string, suggestion: string, context: Record<string, unknown>): SandboxError {
  return new SandboxError(ErrorCode.INVALID_ARGUMENT, message, { suggestion, context });
}

/**
 * The host directory for a guest path: its own mount, or the nearest mounted ancestor's directory plus the
 * rest of the path (so writePaths ["/data/out"] under a mounted readPaths ["/data"] needs no second mount).
 */
function mountFor(mounts: Record<string, string>, guestPath: string): string | undefined {
  const table = new Map(Object.entries(mounts).map(([guest, host]) => [normalise(guest), host]));
  for (let prefix = guestPath; ; ) {
    const host = table.get(prefix);
    if (host !== undefined) return prefix === guestPath ? host : join(host, guestPath.slice(prefix.length));
    if (prefix === "/") return undefined;
    prefix = prefix.slice(0, prefix.lastIndexOf("/")) || "/";
  }
}

/**
 * The preopens `permissions.filesystem` grants: each readPaths / writePaths entry mapped to a host
 * directory through `mounts` (read-only unless listed in writePaths), plus a private in-memory /tmp for
 * tempDirAccess. denyAll grants nothing. A granted path without a mount throws: nothing is mounted
 * implicitly.
 */
export function buildPreopens(options: WasiOptions, now: () => bigint): Preopen[] {
  const { filesystem } = options.permissions;
  if (filesystem.denyAll) return [];
  const writable = new Set(filesystem.writePaths.map(normalise));
  const paths = [...new Set([...filesystem.readPaths, ...filesystem.writePaths].map(normalise))];
  const preopens: Preopen[] = [];
  for (const guestPath of paths) {
    const host = mountFor(options.mounts ?? {}, guestPath);
    if (host === undefined) {
      throw invalid(
        `Filesystem permission grants "${guestPath}" but no host directory is mounted there`,
        `Pass mounts: { "${guestPath}": "/some/host/dir" } to createWasi, or remove "${guestPath}" from the manifest's filesystem permissions.`,
        { path: guestPath, option: "mounts" },
      );
    }
    let stats: fs.Stats;
    try {
      stats = fs.statSync(host);
    } catch (cause) {
      throw invalid(
        `The host directory mounted at "${guestPath}" does not exist: ${host}`,
        "Create the directory or fix the path in the mounts option.",
        { path: guestPath, host, option: "mounts", cause },
      );
    }
    if (!stats.isDirectory()) {
      throw invalid(
        `The host path mounted at "${guestPath}" is not a directory: ${host}`,
        "Mount a directory; single files cannot be preopened.",
        { path: guestPath, host, option: "mounts" },
      );
    }
    const rw = writable.has(guestPath);
    const backend = new HostBackend({
      root: host,
      readOnly: !rw,
      maxFileSize: filesystem.maxFileSize,
    });
    preopens.push({ guestPath, name: guestPath, backend, writable: rw });
  }
  if (filesystem.tempDirAccess) {
    if (paths.includes(TEMP_DIR)) {
      throw invalid(
        `"${TEMP_DIR}" is both a granted host path and the private temp dir (tempDirAccess)`,
        `Either remove "${TEMP_DIR}" from readPaths/writePaths or set tempDirAccess to false.`,
        { path: TEMP_DIR },
      );
    }
    const maxTotalBytes = options.tempDirMaxBytes ?? DEFAULT_TEMP_DIR_BYTES;
    if (!Number.isSafeInteger(maxTotalBytes) || maxTotalBytes < 0) {
      throw invalid("tempDirMaxBytes must be a whole number of bytes", "Pass a non-negative integer.", {
        option: "tempDirMaxBytes",
      });
    }
    preopens.push({
      guestPath: TEMP_DIR,
      name: TEMP_DIR,
      backend: new MemoryBackend({ maxFileSize: filesystem.maxFileSize, maxTotalBytes, now }),
      writable: true,
    });
  }
  return applyNames(preopens, options.preopenNames ?? {});
}

/**
 * Relabels preopens for `preopenNames` (guest path -> reported name, e.g. "/fs-tests.dir" -> "fs-tests.dir"
 * for programs that look their directory up by a relative name). Only the label changes: what the fd can
 * reach is still the granted directory and nothing else.
 */
function applyNames(preopens: Preopen[], names: Record<string, string>): Preopen[] {
  for (const [path, name] of Object.entries(names)) {
    const preopen = preopens.find((p) => p.guestPath === normalise(path));
    if (preopen === undefined) {
      throw invalid(
        `preopenNames names "${path}", which the filesystem permissions do not grant`,
        "Use a path from readPaths or writePaths (or /tmp with tempDirAccess) as the key.",
        { path, option: "preopenNames" },
      );
    }
    if (name.length === 0 || name.length > 1024 || name.includes("\0")) {
      throw invalid(
        `preopenNames gives "${path}" an unusable name`,
        "Give a non-empty name of at most 1024 characters without NUL bytes.",
        { path, name, option: "preopenNames" },
      );
    }
    preopen.name = name;
  }
  return preopens;
}
