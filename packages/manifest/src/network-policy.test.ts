import { describe, expect, it } from "vitest";
import { isDomainPattern, isLoopbackHost, isNetworkTargetAllowed } from "./network-policy.js";
import { type NetworkPermissions, NetworkPermissionsSchema } from "./schema.js";

const policy = (input: Record<string, unknown>): NetworkPermissions =>
  NetworkPermissionsSchema.parse({ denyAll: false, ...input });

describe("isNetworkTargetAllowed", () => {
  it("refuses everything under denyAll (the default)", () => {
    const denied = NetworkPermissionsSchema.parse({});
    expect(denied.denyAll).toBe(true);
    expect(isNetworkTargetAllowed(denied, "example.com", 443)).toBe(false);
    // even a hand-built policy that lists hosts
    expect(
      isNetworkTargetAllowed(
        { ...policy({ allowedDomains: ["example.com"] }), denyAll: true },
        "example.com",
        443,
      ),
    ).toBe(false);
  });

  it("allows exact hosts only, case-insensitively and with a trailing dot", () => {
    const p = policy({ allowedDomains: ["api.example.com"] });
    expect(isNetworkTargetAllowed(p, "api.example.com", 443)).toBe(true);
    expect(isNetworkTargetAllowed(p, "API.Example.COM.", 443)).toBe(true);
    expect(isNetworkTargetAllowed(p, "example.com", 443)).toBe(false);
    expect(isNetworkTargetAllowed(p, "x.api.example.com", 443)).toBe(false);
    expect(isNetworkTargetAllowed(p, "api.example.com.evil.net", 443)).toBe(false);
  });

  it("matches *.example.com against subdomains only", () => {
    const p = policy({ allowedDomains: ["*.example.com"] });
    expect(isNetworkTargetAllowed(p, "a.example.com", 443)).toBe(true);
    expect(isNetworkTargetAllowed(p, "a.b.example.com", 80)).toBe(true);
    expect(isNetworkTargetAllowed(p, "example.com", 443)).toBe(false);
    expect(isNetworkTargetAllowed(p, "badexample.com", 443)).toBe(false);
    expect(isNetworkTargetAllowed(p, "example.com.evil.net", 443)).toBe(false);
  });

  it("allows only 80 and 443 when allowedPorts is empty, else exactly the listed ports", () => {
    const defaults = policy({ allowedDomains: ["example.com"] });
    expect(isNetworkTargetAllowed(defaults, "example.com", 80)).toBe(true);
    expect(isNetworkTargetAllowed(defaults, "example.com", 443)).toBe(true);
    expect(isNetworkTargetAllowed(defaults, "example.com", 8080)).toBe(false);
    const listed = policy({ allowedDomains: ["example.com"], allowedPorts: [8080] });
    expect(isNetworkTargetAllowed(listed, "example.com", 8080)).toBe(true);
    expect(isNetworkTargetAllowed(listed, "example.com", 443)).toBe(false);
  });

  it("refuses malformed hosts and ports", () => {
    const p = policy({ allowedDomains: ["*.example.com"] });
    for (const host of ["", "a b.example.com", "a\0.example.com", "a/.example.com", "x".repeat(300)]) {
      expect(isNetworkTargetAllowed(p, host, 443)).toBe(false);
    }
    for (const port of [0, -1, 65_536, 443.5, Number.NaN]) {
      expect(isNetworkTargetAllowed(p, "a.example.com", port)).toBe(false);
    }
  });

  it("with loopbackOnly allows loopback targets only", () => {
    const p = policy({ loopbackOnly: true, allowedPorts: [8080] });
    for (const host of [
      "localhost",
      "127.0.0.1",
      "127.1.2.3",
      "::1",
      "[::1]",
      "0:0:0:0:0:0:0:1",
      "::ffff:127.0.0.1",
    ]) {
      expect(isNetworkTargetAllowed(p, host, 8080), host).toBe(true);
    }
    for (const host of [
      "example.com",
      "10.0.0.1",
      "128.0.0.1",
      "::2",
      "localhost.evil.net",
      "127.0.0.1.nip.io",
    ]) {
      expect(isNetworkTargetAllowed(p, host, 8080), host).toBe(false);
    }
  });

  it("with loopbackOnly and listed domains allows only the listed loopback hosts", () => {
    const p = policy({ loopbackOnly: true, allowedDomains: ["localhost"] });
    expect(isNetworkTargetAllowed(p, "localhost", 80)).toBe(true);
    expect(isNetworkTargetAllowed(p, "127.0.0.1", 80)).toBe(false);
  });

  it("matches listed IPv4 addresses exactly", () => {
    const p = policy({ allowedDomains: ["10.0.0.5"] });
    expect(isNetworkTargetAllowed(p, "10.0.0.5", 443)).toBe(true);
    expect(isNetworkTargetAllowed(p, "10.0.0.50", 443)).toBe(false);
  });
});

describe("isDomainPattern", () => {
  it("accepts hosts, IPv4 addresses and wildcards below a registrable domain", () => {
    for (const ok of [
      "example.com",
      "localhost",
      "a-b.example.co.uk",
      "10.0.0.1",
      "*.example.com",
      "*.a.b.c",
    ]) {
      expect(isDomainPattern(ok), ok).toBe(true);
    }
    for (const bad of [
      "*.com",
      "*",
      "*.",
      "a.*.com",
      "999.1.1.1",
      "1.2.3",
      "-a.com",
      "a..com",
      "http://a.com",
      "a.com:80",
    ]) {
      expect(isDomainPattern(bad), bad).toBe(false);
    }
  });
});

describe("isLoopbackHost", () => {
  it("knows loopback addresses in their usual spellings and nothing else", () => {
    expect(isLoopbackHost("LOCALHOST")).toBe(true);
    expect(isLoopbackHost("127.255.255.254")).toBe(true);
    expect(isLoopbackHost("::0:1")).toBe(true);
    expect(isLoopbackHost("127.0.0.256")).toBe(false);
    expect(isLoopbackHost("0127.0.0.1")).toBe(false);
    expect(isLoopbackHost("1::1")).toBe(false);
    expect(isLoopbackHost("::ffff:10.0.0.1")).toBe(false);
    expect(isLoopbackHost(":::1")).toBe(false);
  });
});
