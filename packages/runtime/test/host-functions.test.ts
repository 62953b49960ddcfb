import { describe, expect, it } from "vitest";
import { createPlugin, type HostCallContext, HostCallStatus, WasmSandbox } from "../src/index.js";
import { manifest, rejection, wasm } from "./helpers.js";

const hostCallManifest = (hostFunctions: string[], network?: Record<string, unknown>) =>
  manifest(
    "host-call",
    [
      { name: "call_greet", abi: "json" },
      { name: "call_admin", abi: "json" },
    ],
    { permissions: { hostFunctions, ...(network ? { network } : {}) } },
  );

describe("host functions", () => {
  it("lets a guest call a permitted host function with JSON in and out", async () => {
    const seen: unknown[] = [];
    const plugin = createPlugin(hostCallManifest(["greet"]), wasm("host-call"), {
      hostFunctions: {
        greet: (input, context) => {
          seen.push(input, context.entry, context.pluginId);
          expect(context.deadline).toBeGreaterThan(performance.now());
          return { hello: (input as { name: string }[])[0]!.name };
        },
      },
    });
    expect(await plugin.execute("call_greet", [{ name: "Ada" }])).toEqual({ hello: "Ada" });
    expect(seen).toEqual([[{ name: "Ada" }], "call_greet", "test/host-call"]);
  });

  it("fails the call with SECURITY_VIOLATION when the manifest does not list the name", async () => {
    let called = false;
    const plugin = createPlugin(hostCallManifest(["greet"]), wasm("host-call"), {
      hostFunctions: {
        greet: () => "hi",
        admin: () => {
          called = true;
          return "root";
        },
      },
    });
    const error = await rejection(plugin.execute("call_admin", []), "SECURITY_VIOLATION");
    expect(error.context).toMatchObject({ hostFunction: "admin", permission: "permissions.hostFunctions" });
    expect(called).toBe(false);
    expect(await plugin.execute("call_greet", [])).toBe("hi");
  });

  it("returns a negative status for permitted but unregistered functions and for host failures", async () => {
    const missing = createPlugin(hostCallManifest(["greet"]), wasm("host-call"));
    const error = await rejection(missing.execute("call_greet", []), "PLUGIN_ERROR");
    expect(error.context.status).toBe(HostCallStatus.NOT_REGISTERED);
    const failing = createPlugin(hostCallManifest(["greet"]), wasm("host-call"), {
      hostFunctions: {
        greet: () => {
          throw new Error("database down");
        },
      },
    });
    expect((await rejection(failing.execute("call_greet", []), "PLUGIN_ERROR")).context.status).toBe(
      HostCallStatus.FAILED,
    );
  });

  it("links typed host imports only when permitted and registered", async () => {
    const typed = manifest("typed", ["add_two"], { permissions: { hostFunctions: ["add_one"] } });
    const plugin = createPlugin(typed, wasm("host-typed"), {
      hostFunctions: { add_one: (x: number) => x + 1 },
    });
    expect(await plugin.execute("add_two", [40])).toBe(42);
    const denied = await rejection(
      () =>
        createPlugin(manifest("typed", ["add_two"]), wasm("host-typed"), {
          hostFunctions: { add_one: () => 0 },
        }),
      "LINK_ERROR",
    );
    expect(denied.message).toMatch(/host\.add_one/);
    expect(denied.context.permission).toBe("permissions.hostFunctions");
    const unregistered = await rejection(() => createPlugin(typed, wasm("host-typed")), "LINK_ERROR");
    expect(unregistered.message).toMatch(/no host function "add_one" is registered/);
  });

  it("rejects async host functions when they are registered", async () => {
    await rejection(
      () => createPlugin(undefined, wasm("numeric"), { hostFunctions: { slow: async () => 1 } }),
      "UNSUPPORTED",
    );
  });

  it("gives host functions a network guard enforcing the manifest's network permissions", async () => {
    const checks: string[] = [];
    const fetchLike = (input: unknown, context: HostCallContext) => {
      const url = (input as string[])[0]!;
      context.network.check(url);
      checks.push(url);
      return "fetched";
    };
    const open = createPlugin(
      hostCallManifest(["greet"], { denyAll: false, allowedDomains: ["api.example.com"] }),
      wasm("host-call"),
      { hostFunctions: { greet: fetchLike } },
    );
    expect(await open.execute("call_greet", ["https://api.example.com/v1"])).toBe("fetched");
    const denied = await rejection(
      open.execute("call_greet", ["https://evil.example.net/"]),
      "SECURITY_VIOLATION",
    );
    expect(denied.context).toMatchObject({
      url: "https://evil.example.net/",
      permission: "permissions.network",
    });
    await rejection(open.execute("call_greet", ["https://api.example.com:8443/"]), "SECURITY_VIOLATION");
    const closed = createPlugin(hostCallManifest(["greet"]), wasm("host-call"), {
      hostFunctions: { greet: fetchLike },
    });
    await rejection(closed.execute("call_greet", ["https://api.example.com/v1"]), "SECURITY_VIOLATION");
    expect(checks).toEqual(["https://api.example.com/v1"]);
  });

  it("grants builder-registered host functions to a module without a manifest", async () => {
    const sandbox = await WasmSandbox.builder()
      .source(wasm("host-typed"))
      .hostFunction("add_one", (x: number, context: HostCallContext) => {
        expect(context.entry).toBe("add_two");
        return x + 1;
      })
      .build();
    expect(await sandbox.call("add_two", [1])).toBe(3);
    await sandbox.close();
  });
});

describe("re-entrancy", () => {
  it("refuses a host function calling back into the plugin that called it", async () => {
    let inner: unknown;
    const plugin = createPlugin(hostCallManifest(["greet"]), wasm("host-call"), {
      hostFunctions: {
        greet: () => {
          try {
            plugin.executeSync("call_greet", []);
          } catch (error) {
            inner = error;
          }
          return "outer";
        },
      },
    });
    expect(await plugin.execute("call_greet", [])).toBe("outer");
    expect(inner).toMatchObject({ code: "INVALID_ARGUMENT" });
    expect(await plugin.execute("call_greet", [])).toBe("outer");
  });
});
