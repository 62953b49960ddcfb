import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Browser, launchBrowser } from "./browser.js";
import { example, startServer, type TestServer } from "./helpers.js";

const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), "..", "test-artifacts");

let server: TestServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startServer();
  browser = await launchBrowser();
  page = await browser.context.newPage();
  const pageErrors: string[] = [];
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await page.goto(server.url);
  await page.locator("#plugin-list li").first().waitFor();
  expect(pageErrors).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function openPlugin(name: RegExp): Promise<void> {
  await page.locator("#plugin-list button.plugin", { hasText: name }).first().click();
  await page.locator("#run-form:not([hidden])").waitFor();
}

describe("the playground page", () => {
  it("runs add(5, 3) and shows 8 with the call's usage", async () => {
    await openPlugin(/calculator/i);
    await page.selectOption("#entry", "add");
    await page.fill("#params", "[5, 3]");
    await page.click("#run");
    await expect.poll(() => page.locator("#result-value").textContent()).toBe("8");
    expect(await page.locator("#usage > div").count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(ARTIFACTS, "run-add.png"), fullPage: true });
  });

  it("searches the plugin list", async () => {
    await page.fill("#search", "calculator");
    await expect.poll(() => page.locator("#plugin-list li").count()).toBe(1);
    await page.fill("#search", "");
    await expect.poll(() => page.locator("#plugin-list li").count()).toBeGreaterThan(1);
  });

  it("stops the infinite loop with TIMEOUT within its limit while the page stays responsive", async () => {
    await openPlugin(/fuel hog/i);
    await page.selectOption("#entry", "spin");
    await page.fill("#limit-fuel", "10000000000");
    await page.fill("#limit-timeout", "1500");
    const started = Date.now();
    await page.click("#run");
    // While the call runs, the page still reacts: the status ticks and typing into search works.
    await expect.poll(() => page.locator("#run-status").textContent()).toMatch(/Running/);
    await page.fill("#search", "calc");
    expect(await page.inputValue("#search")).toBe("calc");
    await page.locator("#run-output .error-box[data-code='TIMEOUT']").waitFor({ timeout: 10_000 });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(1500 + 5000);
    expect(await page.locator("#run-output .suggestion").textContent()).toBeTruthy();
    // The search typed during the run completed too.
    await expect.poll(() => page.locator("#plugin-list li").count()).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, "timeout.png"), fullPage: true });
    await page.fill("#search", "");
  });

  it("uploads a plugin, shows its validation and audit before anything runs, then registers it", async () => {
    const { manifest, wasm } = await example("calculator");
    const dir = join(tmpdir(), `playground-upload-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    const wasmPath = join(dir, "my-calculator.wasm");
    const manifestPath = join(dir, "manifest.json");
    writeFileSync(wasmPath, wasm);
    writeFileSync(
      manifestPath,
      JSON.stringify({ ...manifest, id: "my-calculator", name: "My calculator", version: "2.0.0" }),
    );
    await page.setInputFiles("#wasm-file", wasmPath);
    await page.setInputFiles("#manifest-file", manifestPath);
    await expect.poll(() => page.inputValue("#manifest-text")).toContain("my-calculator");
    await page.click("#check");
    await page.locator("#audit").waitFor();
    expect(await page.locator("#verdict").textContent()).toMatch(/Checks passed/);
    expect(Number(await page.locator("#audit-score strong").textContent())).toBeGreaterThanOrEqual(0);
    await page.locator("#upload-panel").screenshot({ path: join(ARTIFACTS, "audit.png") });
    // Nothing was registered by checking.
    expect((await server.api("/api/plugins/my-calculator")).status).toBe(404);

    await page.click("#register");
    await page.locator("#registered").waitFor();
    await expect.poll(() => page.locator("#plugin-list li[data-id='my-calculator']").count()).toBe(1);
    await expect.poll(() => page.locator("#plugin-title").textContent()).toMatch(/My calculator/);
    await page.screenshot({ path: join(ARTIFACTS, "playground.png"), fullPage: true });
  });

  it("shows a bad upload's errors and keeps Register disabled", async () => {
    const dir = join(tmpdir(), `playground-upload-${process.pid}`);
    const junkPath = join(dir, "junk.wasm");
    writeFileSync(junkPath, "not a wasm module");
    await page.setInputFiles("#wasm-file", junkPath);
    await page.click("#check");
    await page.locator("#verdict.bad").waitFor();
    expect(await page.locator(".issues").textContent()).toMatch(/INVALID_MODULE/);
    expect(await page.isDisabled("#register")).toBe(true);
  });
});
