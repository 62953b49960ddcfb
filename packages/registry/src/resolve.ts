import { type DependencyType, ErrorCode, SandboxError } from "@wasm-sandbox/manifest";
import semver from "semver";

/** What the resolver needs to know about the registry; the SQLite store implements it, tests fake it. */
export interface DependencySource {
  /** Every registered version of `id`, highest precedence first (empty when the id is unknown). */
  versions(id: string): readonly string[];
  /** The dependencies declared by `id@version` (which exists). */
  dependencies(id: string, version: string): readonly DeclaredDependency[];
  /** Optional hint: these ids are about to be asked for (lets a database load them in one query). */
  prefetch?(ids: readonly string[]): void;
}

export interface DeclaredDependency {
  name: string;
  versionRequirement: string;
  optional: boolean;
  dependencyType: DependencyType;
}

/** One requirement on a plugin and the chain that led to it: `["app@1.0.0", "lib@2.1.0", "util"]`. */
export interface Requirement {
  range: string;
  optional: boolean;
  /** `id@version` of the plugin that declares the requirement. */
  from: string;
  path: string[];
}

export interface ResolvedPlugin {
  id: string;
  version: string;
  /** Edges from the root on the shortest chain (the root itself is 0). */
  depth: number;
  /** The shortest chain of `id@version` from the root to this plugin, both included. */
  path: string[];
}

export type DependencyProblem =
  | { kind: "missing"; name: string; requirements: Requirement[]; message: string }
  | { kind: "unsatisfied"; name: string; requirements: Requirement[]; available: string[]; message: string }
  | { kind: "conflict"; name: string; requirements: Requirement[]; available: string[]; message: string }
  | { kind: "cycle"; cycle: string[]; path: string[]; message: string }
  | { kind: "unstable"; name: string; message: string };

export interface SkippedDependency {
  name: string;
  reason: "missing" | "unsatisfied" | "conflict";
  requirements: Requirement[];
}

/** A `System` or `Service` dependency: not a plugin, so it is reported for the host and not resolved. */
export interface ExternalDependency {
  name: string;
  dependencyType: Exclude<DependencyType, "Plugin">;
  range: string;
  optional: boolean;
  path: string[];
}

export interface DependencyResolution {
  root: { id: string; version: string };
  /**
   * Install/load order: every plugin after all of its dependencies, the root last. With a cycle no such
   * order exists; the plugins of the cycle are still listed (depth-first post-order) and `problems` says so.
   */
  order: ResolvedPlugin[];
  /** Everything that prevents loading: missing, unsatisfied or conflicting requirements, cycles. */
  problems: DependencyProblem[];
  /** Optional dependencies left out because no version satisfies them (with the chains that asked). */
  skipped: SkippedDependency[];
  external: ExternalDependency[];
  /** True when `problems` is empty. */
  ok: boolean;
}

const MAX_PASSES = 32;

/** Parsed ranges and versions, shared across resolutions (bounded: cleared when it grows past the cap). */
const RANGES = new Map<string, semver.Range>();
const VERSIONS = new Map<string, semver.SemVer>();
const CACHE_CAP = 50_000;

function cached<T>(cache: Map<string, T>, key: string, make: () => T): T {
  let value = cache.get(key);
  if (value === undefined) {
    if (cache.size >= CACHE_CAP) cache.clear();
    value = make();
    cache.set(key, value);
  }
  return value;
}

/** A requirement as the walk records it; the public `Requirement` (with its path) is built only for reports. */
interface Edge {
  range: string;
  /** `range`, parsed once. */
  parsed: semver.Range;
  optional: boolean;
  /** The declaring plugin's id; its chain is in `Walk.paths`. */
  fromId: string;
  name: string;
}

const at = (id: string, version: string) => `${id}@${version}`;

/**
 * Resolves the transitive dependencies of `rootId@rootVersion`. For each plugin it picks the highest
 * registered version that satisfies every requirement on it from the plugins chosen so far, and repeats
 * from the root until the choice is stable (a new choice can change which requirements exist).
 */
export function resolveDependencies(
  source: DependencySource,
  rootId: string,
  rootVersion: string,
): DependencyResolution {
  const parse = (v: string) => cached(VERSIONS, v, () => new semver.SemVer(v));
  const satisfiesAll = (version: string, requirements: readonly Edge[]) => {
    const parsed = parse(version);
    for (const r of requirements) if (!r.parsed.test(parsed)) return false;
    return true;
  };
  const highest = (id: string, requirements: readonly Edge[]) =>
    source.versions(id).find((v) => satisfiesAll(v, requirements));

  let previous = new Map<string, string>();
  let blocked = new Set<string>();
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const walk = walkGraph(source, rootId, rootVersion, { previous, blocked, highest, satisfiesAll });
    const unresolvable = new Set<string>();
    const next = new Map<string, string>();
    const problems: DependencyProblem[] = [];
    const skipped: SkippedDependency[] = [];
    for (const [name, edges] of walk.requirements) {
      if (name === rootId) {
        if (!satisfiesAll(rootVersion, edges)) {
          problems.push(unsatisfiable(name, publicRequirements(walk, edges), source.versions(name)));
        }
        continue;
      }
      // A pick made by `highest` over the complete list of requirements needs no second look.
      const version = walk.settled.has(name) ? walk.chosen.get(name) : highest(name, edges);
      if (version !== undefined) {
        next.set(name, version);
        continue;
      }
      unresolvable.add(name);
      const requirements = publicRequirements(walk, edges);
      const problem = unsatisfiable(name, requirements, source.versions(name));
      if (requirements.every((r) => r.optional)) {
        skipped.push({ name, reason: problem.kind as SkippedDependency["reason"], requirements });
      } else {
        problems.push(problem);
      }
    }
    if (sameChoice(next, walk.chosen, rootId)) {
      const { order, cycles } = orderAndCycles(walk, rootId);
      problems.push(...cycles);
      return {
        root: { id: rootId, version: rootVersion },
        order,
        problems,
        skipped,
        external: walk.external,
        ok: problems.length === 0,
      };
    }
    previous = next;
    blocked = unresolvable;
  }
  // Choices kept changing: a requirement set that oscillates between versions. Report it rather than loop.
  return {
    root: { id: rootId, version: rootVersion },
    order: [],
    problems: [
      {
        kind: "unstable",
        name: rootId,
        message: `The choice of versions under ${at(rootId, rootVersion)} did not settle after ${MAX_PASSES} passes`,
      },
    ],
    skipped: [],
    external: [],
    ok: false,
  };
}

interface Walk {
  /** Plugin id -> chosen version (the root included). */
  chosen: Map<string, string>;
  requirements: Map<string, Edge[]>;
  /** Plugin id -> ids it depends on (among the chosen). */
  edges: Map<string, string[]>;
  /** Plugin id -> shortest chain from the root. */
  paths: Map<string, string[]>;
  /** Ids whose pick was the highest version satisfying every requirement the walk found on them. */
  settled: Set<string>;
  external: ExternalDependency[];
}

interface WalkInput {
  /** The previous pass's choices, kept while they still satisfy what is known. */
  previous: ReadonlyMap<string, string>;
  /** Ids no version satisfied in the previous pass: not chosen, so the pass can settle. */
  blocked: ReadonlySet<string>;
  highest: (id: string, requirements: readonly Edge[]) => string | undefined;
  satisfiesAll: (version: string, requirements: readonly Edge[]) => boolean;
}

function walkGraph(source: DependencySource, rootId: string, rootVersion: string, input: WalkInput): Walk {
  const { previous, blocked, highest, satisfiesAll } = input;
  const chosen = new Map<string, string>([[rootId, rootVersion]]);
  const requirements = new Map<string, Edge[]>();
  const edges = new Map<string, string[]>();
  const paths = new Map<string, string[]>([[rootId, [at(rootId, rootVersion)]]]);
  const settled = new Set<string>();
  const external: ExternalDependency[] = [];
  const queue = [rootId];
  let levelEnd = 0;
  for (let head = 0; head < queue.length; head++) {
    if (head === levelEnd && source.prefetch !== undefined) {
      // Breadth-first, one level at a time: announce every plugin the next level will ask about.
      levelEnd = queue.length;
      const names = new Set<string>();
      for (let i = head; i < levelEnd; i++) {
        const member = queue[i]!;
        for (const dep of source.dependencies(member, chosen.get(member)!)) names.add(dep.name);
      }
      source.prefetch([...names]);
    }
    const id = queue[head]!;
    const version = chosen.get(id)!;
    const path = paths.get(id)!;
    const out: string[] = [];
    edges.set(id, out);
    for (const dep of source.dependencies(id, version)) {
      if (dep.dependencyType !== "Plugin") {
        external.push({
          name: dep.name,
          dependencyType: dep.dependencyType,
          range: dep.versionRequirement,
          optional: dep.optional,
          path: [...path, dep.name],
        });
        continue;
      }
      const edge: Edge = {
        range: dep.versionRequirement,
        parsed: cached(RANGES, dep.versionRequirement, () => new semver.Range(dep.versionRequirement)),
        optional: dep.optional,
        fromId: id,
        name: dep.name,
      };
      let all = requirements.get(dep.name);
      if (all === undefined) {
        all = [edge];
        requirements.set(dep.name, all);
      } else {
        all.push(edge);
        settled.delete(dep.name); // a requirement arrived after the pick
      }
      if (chosen.has(dep.name)) {
        out.push(dep.name);
        continue;
      }
      if (blocked.has(dep.name)) continue;
      const earlier = previous.get(dep.name);
      let pick: string | undefined;
      if (earlier !== undefined && satisfiesAll(earlier, all)) {
        pick = earlier;
      } else {
        pick = highest(dep.name, all);
        if (pick !== undefined) settled.add(dep.name);
      }
      if (pick === undefined) continue;
      chosen.set(dep.name, pick);
      paths.set(dep.name, [...path, at(dep.name, pick)]);
      out.push(dep.name);
      queue.push(dep.name);
    }
  }
  return { chosen, requirements, edges, paths, settled, external };
}

function publicRequirements(walk: Walk, edges: readonly Edge[]): Requirement[] {
  return edges.map((e) => {
    const from = walk.paths.get(e.fromId)!;
    return { range: e.range, optional: e.optional, from: from[from.length - 1]!, path: [...from, e.name] };
  });
}

function sameChoice(next: ReadonlyMap<string, string>, chosen: ReadonlyMap<string, string>, rootId: string) {
  if (next.size !== chosen.size - 1) return false;
  for (const [id, version] of next) if (chosen.get(id) !== version || id === rootId) return false;
  return true;
}

function unsatisfiable(
  name: string,
  requirements: Requirement[],
  available: readonly string[],
): DependencyProblem {
  const asked = requirements.map((r) => `${r.range} (${r.path.join(" > ")})`).join(", ");
  if (available.length === 0) {
    return {
      kind: "missing",
      name,
      requirements,
      message: `${name} is required by ${asked} but is not registered`,
    };
  }
  const distinct = new Set(requirements.map((r) => r.range));
  const shown = available.slice(0, 10);
  const list = `${shown.join(", ")}${available.length > shown.length ? ", ..." : ""}`;
  if (distinct.size === 1 || requirements.some((r) => !available.some((v) => semver.satisfies(v, r.range)))) {
    return {
      kind: "unsatisfied",
      name,
      requirements,
      available: [...available],
      message: `No registered version of ${name} satisfies ${asked}; registered: ${list}`,
    };
  }
  return {
    kind: "conflict",
    name,
    requirements,
    available: [...available],
    message: `No single version of ${name} satisfies every requirement: ${asked}; registered: ${list}`,
  };
}

/**
 * One iterative depth-first walk from the root (a 10,000-deep chain must not overflow the stack): its
 * post-order is the load order (dependencies before dependents), and its back edges are the cycles.
 */
function orderAndCycles(
  walk: Walk,
  rootId: string,
): { order: ResolvedPlugin[]; cycles: DependencyProblem[] } {
  const order: ResolvedPlugin[] = [];
  const cycles: DependencyProblem[] = [];
  const seenCycles = new Set<string>();
  const state = new Map<string, 1 | 2>(); // 1: on the stack, 2: finished
  const stack: string[] = [rootId];
  const next: number[] = [0];
  state.set(rootId, 1);
  while (stack.length > 0) {
    const top = stack.length - 1;
    const id = stack[top]!;
    const children = walk.edges.get(id) ?? [];
    if (next[top]! < children.length) {
      const child = children[next[top]!++]!;
      const s = state.get(child);
      if (s === undefined) {
        state.set(child, 1);
        stack.push(child);
        next.push(0);
      } else if (s === 1) {
        const members = stack.slice(stack.indexOf(child));
        const key = [...members].sort().join(" ");
        if (!seenCycles.has(key)) {
          seenCycles.add(key);
          const cycle = [...members, child].map((m) => at(m, walk.chosen.get(m)!));
          cycles.push({
            kind: "cycle",
            cycle,
            path: walk.paths.get(child)!,
            message: `Dependency cycle: ${cycle.join(" > ")}`,
          });
        }
      }
      continue;
    }
    state.set(id, 2);
    stack.pop();
    next.pop();
    const path = walk.paths.get(id)!;
    order.push({ id, version: walk.chosen.get(id)!, depth: path.length - 1, path });
  }
  return { order, cycles };
}

const PROBLEM_SUGGESTIONS: Record<DependencyProblem["kind"], string> = {
  missing: "Register the missing plugin, or mark the dependency optional if the plugin works without it.",
  unsatisfied: "Register a version that satisfies the requirement, or widen the versionRequirement.",
  conflict: "Align the version requirements of the dependents so that one version satisfies them all.",
  cycle: "Break the cycle: plugins cannot depend on each other in a loop.",
  unstable: "Simplify the version requirements; the resolver could not settle on one set of versions.",
};

/** Returns the resolution when it has no problems; otherwise throws DEPENDENCY_ERROR carrying all of them. */
export function assertResolved(resolution: DependencyResolution): DependencyResolution {
  if (resolution.ok) return resolution;
  const first = resolution.problems[0]!;
  const more = resolution.problems.length > 1 ? ` (and ${resolution.problems.length - 1} more)` : "";
  throw new SandboxError(
    ErrorCode.DEPENDENCY_ERROR,
    `Cannot resolve the dependencies of ${at(resolution.root.id, resolution.root.version)}: ${first.message}${more}`,
    {
      suggestion: PROBLEM_SUGGESTIONS[first.kind],
      context: { root: resolution.root, problems: resolution.problems, skipped: resolution.skipped },
    },
  );
}
