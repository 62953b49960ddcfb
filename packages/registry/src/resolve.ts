import { type DependencyType, ErrorCode, SandboxError } from "@wasm-sandbox/manifest";
import semver from "semver";

/** What the resolver needs to know about the registry; the SQLite store implements it, tests fake it. */
export interface DependencySource {
  /** Every registered version of `id`, highest precedence first (empty when the id is unknown). */
  versions(id: string): readonly string[];
  /** The dependencies declared by `id@version` (which exists). */
  dependencies(id: string, version: string): readonly DeclaredDependency[];
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
  const ranges = new Map<string, semver.Range>();
  const rangeOf = (r: string) => {
    let range = ranges.get(r);
    if (range === undefined) {
      range = new semver.Range(r);
      ranges.set(r, range);
    }
    return range;
  };
  const satisfiesAll = (version: string, requirements: readonly Requirement[]) =>
    requirements.every((r) => rangeOf(r.range).test(version));
  const highest = (id: string, requirements: readonly Requirement[]) =>
    source.versions(id).find((v) => satisfiesAll(v, requirements));

  let previous = new Map<string, string>();
  let blocked = new Set<string>();
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const walk = walkGraph(source, rootId, rootVersion, { previous, blocked, highest, satisfiesAll });
    const unresolvable = new Set<string>();
    const next = new Map<string, string>();
    const problems: DependencyProblem[] = [];
    const skipped: SkippedDependency[] = [];
    for (const [name, requirements] of walk.requirements) {
      if (name === rootId) {
        if (!satisfiesAll(rootVersion, requirements)) {
          problems.push(unsatisfiable(name, requirements, source.versions(name)));
        }
        continue;
      }
      const version = highest(name, requirements);
      if (version !== undefined) {
        next.set(name, version);
        continue;
      }
      unresolvable.add(name);
      const problem = unsatisfiable(name, requirements, source.versions(name));
      if (requirements.every((r) => r.optional)) {
        skipped.push({ name, reason: problem.kind as SkippedDependency["reason"], requirements });
      } else {
        problems.push(problem);
      }
    }
    if (sameChoice(next, walk.chosen, rootId)) {
      problems.push(...findCycles(walk, rootId));
      return {
        root: { id: rootId, version: rootVersion },
        order: loadOrder(walk, rootId),
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
  requirements: Map<string, Requirement[]>;
  /** Plugin id -> ids it depends on (among the chosen). */
  edges: Map<string, string[]>;
  /** Plugin id -> shortest chain from the root. */
  paths: Map<string, string[]>;
  external: ExternalDependency[];
}

interface WalkInput {
  /** The previous pass's choices, kept while they still satisfy what is known. */
  previous: ReadonlyMap<string, string>;
  /** Ids no version satisfied in the previous pass: not chosen, so the pass can settle. */
  blocked: ReadonlySet<string>;
  highest: (id: string, requirements: readonly Requirement[]) => string | undefined;
  satisfiesAll: (version: string, requirements: readonly Requirement[]) => boolean;
}

function walkGraph(source: DependencySource, rootId: string, rootVersion: string, input: WalkInput): Walk {
  const { previous, blocked, highest, satisfiesAll } = input;
  const chosen = new Map<string, string>([[rootId, rootVersion]]);
  const requirements = new Map<string, Requirement[]>();
  const edges = new Map<string, string[]>();
  const paths = new Map<string, string[]>([[rootId, [at(rootId, rootVersion)]]]);
  const external: ExternalDependency[] = [];
  const queue = [rootId];
  for (let head = 0; head < queue.length; head++) {
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
      const requirement: Requirement = {
        range: dep.versionRequirement,
        optional: dep.optional,
        from: at(id, version),
        path: [...path, dep.name],
      };
      const list = requirements.get(dep.name);
      if (list === undefined) requirements.set(dep.name, [requirement]);
      else list.push(requirement);
      if (chosen.has(dep.name)) {
        out.push(dep.name);
        continue;
      }
      if (blocked.has(dep.name)) continue;
      const all = requirements.get(dep.name)!;
      const earlier = previous.get(dep.name);
      const pick = earlier !== undefined && satisfiesAll(earlier, all) ? earlier : highest(dep.name, all);
      if (pick === undefined) continue;
      chosen.set(dep.name, pick);
      paths.set(dep.name, [...path, at(dep.name, pick)]);
      out.push(dep.name);
      queue.push(dep.name);
    }
  }
  return { chosen, requirements, edges, paths, external };
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

/** Depth-first post-order from the root: dependencies before dependents. */
function loadOrder(walk: Walk, rootId: string): ResolvedPlugin[] {
  const order: ResolvedPlugin[] = [];
  const done = new Set<string>();
  const visit = (start: string) => {
    // Iterative DFS: a 10,000-deep chain must not overflow the stack.
    const stack: [string, number][] = [[start, 0]];
    done.add(start);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const children = walk.edges.get(frame[0]) ?? [];
      if (frame[1] < children.length) {
        const child = children[frame[1]++]!;
        if (!done.has(child)) {
          done.add(child);
          stack.push([child, 0]);
        }
        continue;
      }
      stack.pop();
      const path = walk.paths.get(frame[0])!;
      order.push({ id: frame[0], version: walk.chosen.get(frame[0])!, depth: path.length - 1, path });
    }
  };
  visit(rootId);
  return order;
}

function findCycles(walk: Walk, rootId: string): DependencyProblem[] {
  const problems: DependencyProblem[] = [];
  const seen = new Set<string>();
  const state = new Map<string, 1 | 2>(); // 1: on the stack, 2: finished
  const stack: [string, number][] = [[rootId, 0]];
  const onStack: string[] = [rootId];
  state.set(rootId, 1);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    const children = walk.edges.get(frame[0]) ?? [];
    if (frame[1] < children.length) {
      const child = children[frame[1]++]!;
      const s = state.get(child);
      if (s === undefined) {
        state.set(child, 1);
        stack.push([child, 0]);
        onStack.push(child);
      } else if (s === 1) {
        const members = onStack.slice(onStack.indexOf(child));
        const key = [...members].sort().join(" ");
        if (!seen.has(key)) {
          seen.add(key);
          const cycle = [...members, child].map((id) => at(id, walk.chosen.get(id)!));
          problems.push({
            kind: "cycle",
            cycle,
            path: walk.paths.get(child)!,
            message: `Dependency cycle: ${cycle.join(" > ")}`,
          });
        }
      }
      continue;
    }
    state.set(frame[0], 2);
    stack.pop();
    onStack.pop();
  }
  return problems;
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
