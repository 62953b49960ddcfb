import { SandboxError } from "@wasm-sandbox/manifest";
import { describe, expect, it } from "vitest";
import { readServerConfig } from "./config.js";

describe("server config", () => {
  it("defaults to 127.0.0.1:8787 and the app's data directory", () => {
    const config = readServerConfig({});
    expect(config.host).toBe("127.0.0.1");
    expect(config.port).toBe(8787);
    expect(config.dataDir).toMatch(/apps[/\\]playground[/\\]data$/);
  });

  it("reads HOST, PORT and PLAYGROUND_DATA_DIR", () => {
    const config = readServerConfig({ HOST: "::1", PORT: "9000", PLAYGROUND_DATA_DIR: "/tmp/pg" });
    expect(config).toEqual({ host: "::1", port: 9000, dataDir: "/tmp/pg" });
  });

  it("refuses a PORT that is not a port", () => {
    expect(() => readServerConfig({ PORT: "http" })).toThrow(/PORT/);
    const error = (() => {
      try {
        readServerConfig({ PORT: "70000" });
      } catch (caught) {
        return caught;
      }
    })();
    expect(SandboxError.is(error, "INVALID_INPUT")).toBe(true);
  });
});
