import type { Permissions } from "@wasm-sandbox/manifest";

/** What a WASI function needs beyond what every plugin has. */
export type Capability = "none" | "env" | "filesystem" | "filesystem-write" | "network" | "signals";

/** Every wasi_snapshot_preview1 function and the capability that makes it useful. */
export const FUNCTIONS = {
  args_get: "none",
  args_sizes_get: "none",
  environ_get: "env",
  environ_sizes_get: "env",
  clock_res_get: "none",
  clock_time_get: "none",
  fd_advise: "none",
  fd_allocate: "filesystem-write",
  fd_close: "none",
  fd_datasync: "none",
  fd_fdstat_get: "none",
  fd_fdstat_set_flags: "none",
  fd_fdstat_set_rights: "none",
  fd_filestat_get: "none",
  fd_filestat_set_size: "filesystem-write",
  fd_filestat_set_times: "filesystem-write",
  fd_pread: "filesystem",
  fd_prestat_get: "none",
  fd_prestat_dir_name: "none",
  fd_pwrite: "filesystem-write",
  fd_read: "none",
  fd_readdir: "filesystem",
  fd_renumber: "none",
  fd_seek: "none",
  fd_sync: "none",
  fd_tell: "none",
  fd_write: "none",
  path_create_directory: "filesystem-write",
  path_filestat_get: "filesystem",
  path_filestat_set_times: "filesystem-write",
  path_link: "filesystem-write",
  path_open: "filesystem",
  path_readlink: "filesystem",
  path_remove_directory: "filesystem-write",
  path_rename: "filesystem-write",
  path_symlink: "filesystem-write",
  path_unlink_file: "filesystem-write",
  poll_oneoff: "none",
  proc_exit: "none",
  proc_raise: "signals",
  sched_yield: "none",
  random_get: "none",
  sock_accept: "network",
  sock_recv: "network",
  sock_send: "network",
  sock_shutdown: "network",
} as const satisfies Record<string, Capability>;

export type WasiFunctionName = keyof typeof FUNCTIONS;

/** The manifest permission that grants a capability, as named in errors and usage reports. */
export const PERMISSION_NAME: Record<Exclude<Capability, "none">, string> = {
  env: "permissions.envVars",
  filesystem: "permissions.filesystem (readPaths, writePaths or tempDirAccess, with denyAll false)",
  "filesystem-write": "permissions.filesystem (writePaths or tempDirAccess, with denyAll false)",
  network: "permissions.network (denyAll false)",
  signals: "none: signals are never granted to a plugin",
};

export function grants(permissions: Permissions, capability: Capability): boolean {
  const fs = permissions.filesystem;
  switch (capability) {
    case "none":
      return true;
    case "env":
      return permissions.envVars.length > 0;
    case "filesystem":
      return !fs.denyAll && (fs.readPaths.length > 0 || fs.writePaths.length > 0 || fs.tempDirAccess);
    case "filesystem-write":
      return !fs.denyAll && (fs.writePaths.length > 0 || fs.tempDirAccess);
    case "network":
      return !permissions.network.denyAll;
    case "signals":
      return false;
  }
}

export function isWasiFunction(name: string): name is WasiFunctionName {
  return Object.hasOwn(FUNCTIONS, name);
}
