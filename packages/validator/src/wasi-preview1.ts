import type { Permissions } from "@wasm-sandbox/manifest";
import type { FunctionSignature } from "./module-info.js";

export const WASI_MODULE = "wasi_snapshot_preview1";

/**
 * What a WASI function needs to do anything useful. `always`: every plugin has it (args, stdio, exit,
 * yield, poll). `clock` / `random`: always linked, shaped by permissions.clock / permissions.random. The
 * classification matches @wasm-sandbox/wasi's (fd_read/fd_write on stdio need no filesystem grant).
 */
export type WasiCapability =
  | "always"
  | "clock"
  | "random"
  | "env"
  | "filesystem"
  | "filesystem-write"
  | "network"
  | "signals";

interface WasiFunction {
  params: string;
  results: string;
  capability: WasiCapability;
}

// Signatures from the wasi_snapshot_preview1 witx: "i" = i32, "I" = i64. Every function returns an errno
// (i32) except proc_exit.
const fn = (params: string, capability: WasiCapability, results = "i"): WasiFunction => ({
  params,
  results,
  capability,
});

export const WASI_PREVIEW1: Readonly<Record<string, WasiFunction>> = {
  args_get: fn("ii", "always"),
  args_sizes_get: fn("ii", "always"),
  environ_get: fn("ii", "env"),
  environ_sizes_get: fn("ii", "env"),
  clock_res_get: fn("ii", "clock"),
  clock_time_get: fn("iIi", "clock"),
  fd_advise: fn("iIIi", "always"),
  fd_allocate: fn("iII", "filesystem-write"),
  fd_close: fn("i", "always"),
  fd_datasync: fn("i", "always"),
  fd_fdstat_get: fn("ii", "always"),
  fd_fdstat_set_flags: fn("ii", "always"),
  fd_fdstat_set_rights: fn("iII", "always"),
  fd_filestat_get: fn("ii", "always"),
  fd_filestat_set_size: fn("iI", "filesystem-write"),
  fd_filestat_set_times: fn("iIIi", "filesystem-write"),
  fd_pread: fn("iiiIi", "filesystem"),
  fd_prestat_get: fn("ii", "always"),
  fd_prestat_dir_name: fn("iii", "always"),
  fd_pwrite: fn("iiiIi", "filesystem-write"),
  fd_read: fn("iiii", "always"),
  fd_readdir: fn("iiiIi", "filesystem"),
  fd_renumber: fn("ii", "always"),
  fd_seek: fn("iIii", "always"),
  fd_sync: fn("i", "always"),
  fd_tell: fn("ii", "always"),
  fd_write: fn("iiii", "always"),
  path_create_directory: fn("iii", "filesystem-write"),
  path_filestat_get: fn("iiiii", "filesystem"),
  path_filestat_set_times: fn("iiiiIIi", "filesystem-write"),
  path_link: fn("iiiiiii", "filesystem-write"),
  path_open: fn("iiiiiIIii", "filesystem"),
  path_readlink: fn("iiiiii", "filesystem"),
  path_remove_directory: fn("iii", "filesystem-write"),
  path_rename: fn("iiiiii", "filesystem-write"),
  path_symlink: fn("iiiii", "filesystem-write"),
  path_unlink_file: fn("iii", "filesystem-write"),
  poll_oneoff: fn("iiii", "always"),
  proc_exit: fn("i", "always", ""),
  proc_raise: fn("i", "signals"),
  sched_yield: fn("", "always"),
  random_get: fn("ii", "random"),
  sock_accept: fn("iii", "network"),
  sock_recv: fn("iiiiii", "network"),
  sock_send: fn("iiiii", "network"),
  sock_shutdown: fn("ii", "network"),
};

const LETTER: Record<string, string> = { i: "i32", I: "i64" };

export function wasiSignature(name: string): FunctionSignature | undefined {
  const f = Object.hasOwn(WASI_PREVIEW1, name) ? WASI_PREVIEW1[name] : undefined;
  if (!f) return undefined;
  return { params: [...f.params].map((c) => LETTER[c]!), results: [...f.results].map((c) => LETTER[c]!) };
}

/** The manifest setting that grants (or shapes) each capability, as named in issues. */
export const WASI_PERMISSION_NAME: Record<Exclude<WasiCapability, "always">, string> = {
  clock: "permissions.clock",
  random: "permissions.random",
  env: "permissions.envVars",
  filesystem: "permissions.filesystem (readPaths, writePaths or tempDirAccess, with denyAll false)",
  "filesystem-write": "permissions.filesystem (writePaths or tempDirAccess, with denyAll false)",
  network: "permissions.network (denyAll false)",
  signals: "none: signals are never granted to a plugin",
};

/**
 * How a capability fares under the permissions: `granted`, `restricted` (works, but deterministic or
 * coarse), or `powerless` (links, but every call fails or sees nothing).
 */
export function wasiGrant(
  permissions: Permissions,
  capability: WasiCapability,
): "granted" | "restricted" | "powerless" {
  const fs = permissions.filesystem;
  switch (capability) {
    case "always":
      return "granted";
    case "clock":
      return permissions.clock === "real" ? "granted" : "restricted";
    case "random":
      return permissions.random === "secure" ? "granted" : "restricted";
    case "env":
      return permissions.envVars.length > 0 ? "granted" : "powerless";
    case "filesystem":
      return !fs.denyAll && (fs.readPaths.length > 0 || fs.writePaths.length > 0 || fs.tempDirAccess)
        ? "granted"
        : "powerless";
    case "filesystem-write":
      return !fs.denyAll && (fs.writePaths.length > 0 || fs.tempDirAccess) ? "granted" : "powerless";
    case "network":
      return permissions.network.denyAll ? "powerless" : "granted";
    case "signals":
      return "powerless";
  }
}
