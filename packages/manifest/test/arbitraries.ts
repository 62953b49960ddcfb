import fc from "fast-check";

/**
 * fast-check arbitraries for VALID manifest inputs (camelCase, with units where the schema accepts them):
 * every semantic rule is respected by construction (unique entry points and dependencies, no
 * self-dependency, write paths inside read paths, denyAll consistent with grants, seeds only when seeded).
 */

const label = fc.stringMatching(/^[a-z0-9]{1,10}$/);
const slug = fc.stringMatching(/^[a-z0-9]{1,8}(?:[-_.][a-z0-9]{1,6})?$/);
const version = fc
  .tuple(fc.nat(20), fc.nat(20), fc.nat(20), fc.option(fc.nat(9), { nil: undefined }))
  .map(([a, b, c, rc]) => `${a}.${b}.${c}${rc === undefined ? "" : `-rc.${rc}`}`);
const range = fc.oneof(
  fc.constantFrom("*", "^1.0.0", ">=0.1.0 <2.0.0", "~1.2", "1.x", "0.1.0"),
  fc.tuple(fc.constantFrom("^", "~", ">=", ""), version).map(([op, v]) => `${op}${v}`),
);

const noForbiddenKeys = (value: unknown) =>
  !/"(?:__proto__|constructor|prototype)":/.test(JSON.stringify(value));
const jsonData = fc
  .jsonValue({ maxDepth: 3 })
  .map((v) => JSON.parse(JSON.stringify(v)) as unknown)
  .filter(noForbiddenKeys);
const metadata = fc.dictionary(
  fc.string({ maxLength: 20 }).filter((k) => !["__proto__", "constructor", "prototype"].includes(k)),
  jsonData,
  { maxKeys: 4 },
);

const jsonSchemas = fc.constantFrom<Record<string, unknown>>(
  { type: "string" },
  { type: "object", properties: { some_field: { type: "integer", minimum: 0 } }, required: ["some_field"] },
  {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    type: "array",
    prefixItems: [{ type: "number" }],
  },
  { $schema: "http://json-schema.org/draft-07/schema#", anyOf: [{ type: "null" }, { pattern: "^a+$" }] },
);

const entryPoint = fc.record(
  {
    functionName: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,15}$/),
    displayName: fc.string({ maxLength: 30 }),
    description: fc.string({ maxLength: 60 }),
    inputSchema: jsonSchemas,
    outputSchema: jsonSchemas,
    supportsStreaming: fc.boolean(),
    executionCategory: fc.constantFrom("Instant", "Fast", "Standard", "LongRunning", "Streaming"),
    abi: fc.constantFrom("numeric", "json", "command"),
  },
  { requiredKeys: ["functionName"] },
);

const dependency = fc.record(
  {
    name: slug.map((s) => `dep-${s}`),
    versionRequirement: range,
    optional: fc.boolean(),
    dependencyType: fc.constantFrom("Plugin", "System", "Service"),
  },
  { requiredKeys: ["name", "versionRequirement"] },
);

const size = fc.oneof(
  fc.integer({ min: 1, max: 1 << 30 }),
  fc
    .tuple(fc.integer({ min: 1, max: 512 }), fc.constantFrom("B", "KiB", "MiB", "KB", "MB"))
    .map(([n, u]) => `${n}${u}`),
);
const duration = fc.oneof(
  fc.integer({ min: 1, max: 3_600_000 }),
  fc.double({ min: 0.001, max: 100_000, noNaN: true }),
  fc.tuple(fc.integer({ min: 1, max: 600 }), fc.constantFrom("ms", "s", "m")).map(([n, u]) => `${n}${u}`),
);
const memory = fc.oneof(
  fc.integer({ min: 1, max: 65_536 }),
  fc.integer({ min: 1, max: 4096 }).map((n) => `${n}MiB`),
  fc.integer({ min: 1, max: 64 }).map((n) => `${n * 64}KiB`),
);

const limits = fc.record(
  {
    memory,
    tableElements: fc.integer({ min: 0, max: 10_000_000 }),
    fuel: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
    instanceFuel: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
    timeout: duration,
    totalTimeout: duration,
    maxOutput: size,
    maxLog: size,
    maxReadBytes: size,
    maxWriteBytes: size,
    maxOpenFiles: fc.integer({ min: 0, max: 65_536 }),
  },
  { requiredKeys: [] },
);

const domain = fc.oneof(
  fc.tuple(label, label).map(([a, b]) => `${a}.${b}.com`),
  label.map((a) => `*.${a}.org`),
  fc.tuple(fc.nat(255), fc.nat(255)).map(([a, b]) => `10.0.${a}.${b}`),
);
const ports = fc.uniqueArray(fc.integer({ min: 1, max: 65_535 }), { maxLength: 3 });
const network = fc.oneof(
  fc.constant({}),
  fc.record({ denyAll: fc.constant(true), maxConnections: fc.integer({ min: 0, max: 1024 }) }),
  fc.record({
    denyAll: fc.constant(false),
    allowedDomains: fc.array(domain, { maxLength: 4 }),
    allowedPorts: ports,
  }),
  fc.record({
    denyAll: fc.constant(false),
    loopbackOnly: fc.constant(true),
    allowedDomains: fc.subarray(["localhost", "127.0.0.1", "127.9.9.9"]),
    allowedPorts: ports,
  }),
);

const dir = fc.array(label, { minLength: 1, maxLength: 3 }).map((parts) => `/${parts.join("/")}`);
const filesystem = fc.oneof(
  fc.constant({}),
  fc.record({ denyAll: fc.constant(true), maxFileSize: size }),
  fc
    .tuple(
      fc.array(dir, { minLength: 1, maxLength: 3 }),
      fc.array(fc.option(label, { nil: undefined }), { maxLength: 3 }),
    )
    .chain(([readPaths, subdirs]) =>
      fc.record({
        denyAll: fc.constant(false),
        readPaths: fc.constant(readPaths),
        // each write path is a read path or a directory inside one
        writePaths: fc.constant(
          subdirs.map((sub, i) => `${readPaths[i % readPaths.length]}${sub === undefined ? "" : `/${sub}`}`),
        ),
        tempDirAccess: fc.boolean(),
        maxFileSize: size,
      }),
    ),
);

const randomness = fc.oneof(
  fc.constant({}),
  fc.constant({ random: "secure" }),
  fc.record({ random: fc.constant("seeded"), randomSeed: fc.nat() }),
);

const permissions = fc
  .tuple(
    fc.record(
      {
        network,
        filesystem,
        envVars: fc.array(fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,10}$/), { maxLength: 3 }),
        hostFunctions: fc.array(fc.stringMatching(/^[a-z][a-z0-9_.:-]{0,12}$/), { maxLength: 3 }),
        clock: fc.constantFrom("real", "coarse", "frozen"),
        maxThreads: fc.constant(0),
        processSpawn: fc.constant(false),
      },
      { requiredKeys: [] },
    ),
    randomness,
  )
  .map(([rest, random]) => ({ ...rest, ...random }));

/** A valid manifest input. */
export const validManifestInput = fc.record(
  {
    id: fc
      .oneof(
        slug,
        fc.tuple(slug, slug).map(([a, b]) => `${a}/${b}`),
      )
      .map((s) => `p${s}`),
    name: fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim().length > 0),
    version,
    description: fc.string({ maxLength: 80 }),
    author: fc.string({ maxLength: 40 }),
    license: fc.constantFrom("MIT", "Apache-2.0 OR MIT"),
    repository: fc.constantFrom("https://github.com/acme/plugin", "git+ssh://git@example.com/acme/p.git"),
    tags: fc.array(
      fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim().length > 0),
      { maxLength: 5 },
    ),
    minSandboxVersion: range,
    permissions,
    entryPoints: fc.uniqueArray(entryPoint, { minLength: 1, maxLength: 4, selector: (e) => e.functionName }),
    dependencies: fc.uniqueArray(dependency, { maxLength: 4, selector: (d) => d.name }),
    metadata,
    limits,
  },
  { requiredKeys: ["id", "name", "version", "entryPoints"] },
);
