import { describe, expect, it } from "vitest";
import { fixture, manifest } from "../test/helpers.js";
import { securityAudit } from "./audit.js";
import { score } from "./audit-rubric.js";
import { IssueCode } from "./codes.js";

const locked = { clock: "coarse" as const };

describe("securityAudit", () => {
  it("scores a least-privilege plugin 100 and production ready, listing the mitigations", () => {
    const result = securityAudit(
      manifest([{ functionName: "add", abi: "numeric" }], { permissions: locked }),
      fixture("numeric"),
    );
    expect(result).toMatchObject({ securityScore: 100, productionReady: true, issues: [] });
    expect(result.mitigations).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Linear memory is capped at 160 pages \(10 MiB\)/),
        expect.stringMatching(/^Fuel metering stops a call after 10000000/),
        "No network access (permissions.network.denyAll).",
        "No filesystem access (permissions.filesystem.denyAll).",
        "The clock is coarse, which blunts timing side channels.",
      ]),
    );
  });

  it("charges for granted capabilities with impact and fix, deterministically", () => {
    const m = manifest([{ functionName: "_start" }], {
      permissions: {
        network: { denyAll: false, allowedDomains: ["*.example.com", "api.example.org"] },
        filesystem: { denyAll: false, readPaths: ["/data"], writePaths: ["/data/out"] },
        envVars: ["HOME", "GITHUB_TOKEN"],
        hostFunctions: ["lookup"],
      },
      limits: { timeout: "2m", memory: "512MiB" },
    });
    const a = securityAudit(m, fixture("command"));
    const b = securityAudit(m, fixture("command"));
    expect(b).toEqual(a);
    const byCode = Object.fromEntries(a.issues.map((i) => [i.code, i]));
    for (const code of [
      IssueCode.NETWORK_ACCESS,
      IssueCode.NETWORK_WILDCARD,
      IssueCode.FILESYSTEM_READ,
      IssueCode.FILESYSTEM_WRITE,
      IssueCode.SECRET_ENV_VAR,
      IssueCode.HOST_FUNCTIONS,
      IssueCode.PRECISE_CLOCK,
      IssueCode.GENEROUS_LIMIT,
    ]) {
      expect(byCode[code], code).toBeDefined();
      expect(byCode[code]!.impact.length).toBeGreaterThan(10);
      expect(byCode[code]!.fix.length).toBeGreaterThan(10);
    }
    expect(byCode[IssueCode.SECRET_ENV_VAR]!.description).toMatch(/GITHUB_TOKEN/);
    // 100 - network 15 - wildcard 10 - fs write 10 - fs read 5 - secret 10 - host 2 - clock 2 - limits 2x3 - inferred abi 0
    expect(a.securityScore).toBe(100 - 15 - 10 - 10 - 5 - 10 - 2 - 2 - 6);
    expect(a.productionReady).toBe(false);
  });

  it("treats an invalid module as critical and not production ready", () => {
    const result = securityAudit(manifest([{ functionName: "bad" }]), fixture("invalid-body"));
    expect(result.issues[0]).toMatchObject({ severity: "critical", code: IssueCode.INVALID_FUNCTION_BODY });
    expect(result.productionReady).toBe(false);
    expect(result.securityScore).toBeLessThanOrEqual(60);
  });

  it("is not production ready with an error even at a high score", () => {
    const result = securityAudit(
      manifest([{ functionName: "missing" }], { permissions: locked }),
      fixture("numeric"),
    );
    expect(result.securityScore).toBe(80);
    expect(result.productionReady).toBe(false);
  });

  it("caps the cost of one code at three times its weight", () => {
    const many = Array.from({ length: 10 }, () => ({
      code: IssueCode.START_FUNCTION,
      severity: "warning" as const,
    }));
    expect(score(many)).toBe(100 - 9);
    expect(score([{ code: IssueCode.WASI_PERMISSION, severity: "warning" }])).toBe(100);
    expect(
      score(
        Array.from({ length: 5 }, () => ({ code: IssueCode.INVALID_MODULE, severity: "critical" as const })),
      ),
    ).toBe(0);
  });

  it("reports a broken manifest without mitigations", () => {
    const result = securityAudit({ id: "?" }, fixture("numeric"));
    expect(result.mitigations).toEqual([]);
    expect(result.issues.every((i) => i.code === IssueCode.MANIFEST_SCHEMA)).toBe(true);
    expect(result.productionReady).toBe(false);
  });
});
