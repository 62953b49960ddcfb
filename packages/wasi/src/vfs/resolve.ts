import { Errno, FileType, PATH_MAX, SYMLOOP_MAX } from "../constants.js";
import { fail } from "../errno.js";
import type { Backend, Stat } from "./types.js";

/** A resolved path, with the lstat of its last component when resolution already took it. */
export interface Resolved {
  parts: string[];
  /** The last component's lstat; null when it does not exist; undefined when not looked at. */
  stat: Stat | null | undefined;
}

/** Called when a path tries to leave its directory capability; the caller counts a security event. */
export type EscapeReporter = (reason: string) => void;

/**
 * Resolves `path` relative to the directory `base` of `backend`, component by component, the way a
 * capability-based openat would: absolute paths, ".." above `base` and symlinks whose target is absolute or
 * climbs above `base` are refused with ENOTCAPABLE (and reported). Every symlink met is read and expanded
 * here (lstat per component), so a backend never follows one itself; the last component is followed only
 * when `follow` is set (or the path ends in "/"). Returns the component list from the backend root.
 */
export function resolvePath(
  backend: Backend,
  base: readonly string[],
  path: string,
  follow: boolean,
  onEscape: EscapeReporter,
): Resolved {
  if (path.length === 0) fail(Errno.NOENT);
  if (path.length > PATH_MAX) fail(Errno.NAMETOOLONG);
  if (path.startsWith("/")) {
    onEscape(`absolute path "${path}"`);
    fail(Errno.NOTCAPABLE);
  }
  const mustBeDir = path.endsWith("/");
  const pending = path.split("/").reverse();
  const stack: string[] = [];
  let links = 0;
  let last: Stat | null | undefined;
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (name === "" || name === ".") continue;
    if (name === "..") {
      if (stack.length === 0) {
        onEscape(`".." above the directory in "${path}"`);
        fail(Errno.NOTCAPABLE);
      }
      stack.pop();
      continue;
    }
    if (name.length > 255) fail(Errno.NAMETOOLONG);
    const isLast = !pending.some((p) => p !== "" && p !== ".");
    if (isLast && !follow && !mustBeDir) {
      stack.push(name);
      last = undefined;
      break;
    }
    const full = [...base, ...stack, name];
    const stat = backend.tryLstat(full);
    if (stat === null) {
      if (!isLast) fail(Errno.NOENT);
      stack.push(name);
      last = null;
      break;
    }
    const filetype: FileType = stat.filetype;
    if (filetype === FileType.SYMBOLIC_LINK) {
      if (++links > SYMLOOP_MAX) fail(Errno.LOOP);
      const target = backend.readlink(full);
      if (target.startsWith("/")) {
        onEscape(`symlink "${name}" points to the absolute path "${target}"`);
        fail(Errno.NOTCAPABLE);
      }
      if (target.length === 0) fail(Errno.NOENT);
      if (target.includes("\0")) fail(Errno.ILSEQ);
      const parts = target.split("/");
      for (let i = parts.length - 1; i >= 0; i--) pending.push(parts[i]!);
      continue;
    }
    if (!isLast && filetype !== FileType.DIRECTORY) fail(Errno.NOTDIR);
    if (isLast && mustBeDir && filetype !== FileType.DIRECTORY) fail(Errno.NOTDIR);
    stack.push(name);
    last = stat;
  }
  // A path that ended on "." or ".." names a directory that was never looked at here.
  const ended = path
    .split("/")
    .filter((p) => p !== "")
    .pop();
  if (ended === "." || ended === "..") last = undefined;
  return { parts: [...base, ...stack], stat: last };
}

/** Whether a symlink target, read from a link `linkDirDepth` directories below the root, stays inside the root. */
export function symlinkStaysInside(linkDirDepth: number, target: string): boolean {
  if (target.length === 0 || target.startsWith("/")) return false;
  let depth = linkDirDepth;
  for (const part of target.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      depth--;
      if (depth < 0) return false;
    } else depth++;
  }
  return true;
}
