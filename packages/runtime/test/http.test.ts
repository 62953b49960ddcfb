import { type ChildProcess, spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpHostFunction, createPlugin } from "../src/index.js";
import { manifest, rejection, wasm } from "./helpers.js";

// The server runs in a child process: the test's own thread blocks in Atomics.wait during a guest call.
const SERVER = `
const http = require("node:http");
const server = http.createServer((req, res) => {
  if (req.url === "/big") { res.end("x".repeat(300000)); return; }
  if (req.url === "/redirect") { res.writeHead(302, { location: "http://example.com/" }); res.end(); return; }
  res.setHeader("content-type", "text/plain");
  res.end("hello " + req.method);
});
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
`;

let server: ChildProcess;
let port = 0;

beforeAll(async () => {
  server = spawn(process.execPath, ["-e", SERVER], { stdio: ["ignore", "pipe", "inherit"] });
  port = await new Promise<number>((resolve) =>
    server.stdout!.once("data", (d: Buffer) => resolve(Number(d.toString().trim()))),
  );
});

afterAll(() => {
  server.kill();
});

const plugin = (network: Record<string, unknown>) =>
  createPlugin(
    manifest("http", [{ name: "call_greet", abi: "json" }], {
      permissions: { hostFunctions: ["greet"], network },
    }),
    wasm("host-call"),
    { hostFunctions: { greet: createHttpHostFunction({ maxResponseBytes: 100_000 }) } },
  );

describe("sync HTTP host function", () => {
  it("refuses options it would ignore or could not honour", async () => {
    for (const options of [
      { retries: 3 },
      { timeoutMs: Number.NaN },
      { timeoutMs: 0 },
      { maxResponseBytes: -1 },
      { maxResponseBytes: 1.5 },
      { maxResponseBytes: 2 ** 31 },
    ]) {
      await rejection(() => createHttpHostFunction(options as never), "INVALID_ARGUMENT");
    }
    expect(createHttpHostFunction({ maxResponseBytes: 0, timeoutMs: 1 })).toBeTypeOf("function");
  });

  it("performs a permitted request for the guest", async () => {
    const p = plugin({
      denyAll: false,
      loopbackOnly: true,
      allowedDomains: ["127.0.0.1"],
      allowedPorts: [port],
    });
    const result = (await p.execute("call_greet", [
      { url: `http://127.0.0.1:${port}/`, method: "POST" },
    ])) as {
      status: number;
      body: string;
    };
    expect(result).toMatchObject({ status: 200, body: "hello POST" });
    expect(await p.execute("call_greet", [{ url: `http://127.0.0.1:${port}/big` }])).toEqual({
      error: "response larger than 100000 bytes",
    });
    expect(await p.execute("call_greet", [{ url: `http://127.0.0.1:${port}/redirect` }])).toMatchObject({
      status: 302,
    });
  });

  it("refuses what the network permissions do not allow", async () => {
    const closed = plugin({});
    await rejection(
      closed.execute("call_greet", [{ url: `http://127.0.0.1:${port}/` }]),
      "SECURITY_VIOLATION",
    );
    const otherPort = plugin({ denyAll: false, allowedDomains: ["127.0.0.1"], allowedPorts: [port + 1] });
    await rejection(
      otherPort.execute("call_greet", [{ url: `http://127.0.0.1:${port}/` }]),
      "SECURITY_VIOLATION",
    );
    await rejection(otherPort.execute("call_greet", [{ nope: true }]), "INVALID_INPUT");
  });
});
