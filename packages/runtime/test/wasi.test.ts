import { describe, expect, it } from "vitest";
import { createPlugin, run } from "../src/index.js";
import { manifest, rejection, wasm } from "./helpers.js";

const command = () =>
  createPlugin(
    manifest("hello", [
      { name: "_start", abi: "command" },
      { name: "quit", abi: "numeric" },
    ]),
    wasm("wasi-hello"),
  );

describe("WASI command entries", () => {
  it("runs _start with stdin and returns exit code, stdout and stderr", async () => {
    const plugin = command();
    expect(await plugin.execute("_start", { stdin: "world" })).toEqual({
      exitCode: 0,
      stdout: "hello world",
      stderr: "",
    });
    expect(plugin.lastUsage!.io).toMatchObject({ bytesRead: 5 });
    expect(plugin.lastUsage!.outputBytes).toBe(11);
    expect(await plugin.execute("_start", {})).toEqual({ exitCode: 3, stdout: "hello ", stderr: "" });
  });

  it("infers a command entry for a WASI _start without a manifest", async () => {
    expect(await run(wasm("wasi-hello"), "_start", { stdin: "you" })).toEqual({
      exitCode: 0,
      stdout: "hello you",
      stderr: "",
    });
  });

  it("checks command parameters", async () => {
    const plugin = command();
    await rejection(plugin.execute("_start", { args: [1] }), "INVALID_INPUT");
    await rejection(plugin.execute("_start", { stdout: "x" }), "INVALID_INPUT");
  });

  it("reports proc_exit from a non-command entry as PLUGIN_ERROR and recovers", async () => {
    const plugin = command();
    const error = await rejection(plugin.execute("quit"), "PLUGIN_ERROR");
    expect(error.context.exitCode).toBe(7);
    expect((await plugin.execute("_start", { stdin: "again" })) as { stdout: string }).toMatchObject({
      stdout: "hello again",
    });
  });

  it("links WASI imports the permissions leave powerless and refuses them per call, counted as security events", async () => {
    const plugin = createPlugin(
      manifest("no-fs", [{ name: "_start", abi: "command" }]),
      wasm("wasi-unpermitted"),
    );
    const result = (await plugin.execute("_start", {})) as { exitCode: number };
    expect(result.exitCode).toBe(76); // ENOTCAPABLE: no filesystem permission, so no preopen to open under
    expect(plugin.lastUsage!.io).toMatchObject({ filesOpened: 0, bytesRead: 0 });
    expect(plugin.lastUsage!.io!.securityEvents).toBeGreaterThanOrEqual(1);
    expect(plugin.lastUsage!.io!.denied).toContainEqual(
      expect.objectContaining({ function: "path_open", permission: expect.stringMatching(/filesystem/) }),
    );
  });
});
