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
  page.setDefaultTimeout(15_000);
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
  it("opens the first plugin on a first visit, ready to run", async () => {
    await expect.poll(() => page.locator("#plugin-title").textContent()).toMatch(/Calculator/);
    expect(await page.isVisible("#run-form")).toBe(true);
    expect(await page.locator("#plugin-count").textContent()).toMatch(/5 plugins registered/);
    await page.screenshot({ path: join(ARTIFACTS, "first-visit.png"), fullPage: true });
  });

  it("runs add(5, 3) and shows 8 with the call's usage", async () => {
    await openPlugin(/calculator/i);
    await page.selectOption("#entry", "add");
    // Pre-filled from add's wasm signature (i32, i32), so a first run needs no typing.
    expect(await page.inputValue("#params")).toBe("[5,3]");
    expect(await page.locator("#entry-description").textContent()).toContain("add(i32, i32) → i32");
    await page.fill("#params", "[5, 3]");
    await page.press("#params", "Control+Enter");
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
    // The server runs in this test process, so while the plugin call holds its event loop Playwright
    // cannot drive the page either. The page therefore records its own behaviour during the call: every
    // change of the run status, and a search typed right after pressing Run.
    await page.evaluate(() => {
      const status = document.getElementById("run-status")!;
      const seen: { at: number; text: string }[] = [];
      new MutationObserver(() =>
        seen.push({ at: performance.now(), text: status.textContent ?? "" }),
      ).observe(status, { childList: true, characterData: true, subtree: true });
      Object.assign(window, { statusLog: seen, runClickedAt: performance.now() });
      document.getElementById("run")!.click();
      const search = document.getElementById("search") as HTMLInputElement;
      search.value = "calculator";
      search.dispatchEvent(new Event("input"));
    });
    const box = page.locator("#run-output .error-box[data-code='TIMEOUT']");
    await box.waitFor();
    expect(await box.locator(".suggestion").textContent()).toBeTruthy();

    type Recorded = { statusLog: { at: number; text: string }[]; runClickedAt: number };
    const { statusLog, runClickedAt } = await page.evaluate(() => {
      const { statusLog, runClickedAt } = window as unknown as Recorded;
      return { statusLog, runClickedAt };
    });
    const ticks = statusLog.filter((s) => /^Running… \d+ ms$/.test(s.text));
    const answered = statusLog.find((s) => s.text.startsWith("Answered"));
    expect(answered).toBeDefined();
    const took = answered!.at - runClickedAt;
    // Stopped at its 1500 ms limit, not long after.
    expect(took).toBeGreaterThanOrEqual(1450);
    expect(took).toBeLessThan(1500 + 5000);
    // The page's own timer kept ticking throughout the call: it never froze.
    expect(ticks.length).toBeGreaterThanOrEqual(5);
    expect(ticks.at(-1)!.at - ticks[0]!.at).toBeGreaterThan(1000);
    // The search typed during the run was answered as soon as the call stopped.
    await expect.poll(() => page.locator("#plugin-list li").count()).toBe(1);
    expect(await page.inputValue("#search")).toBe("calculator");
    await page.screenshot({ path: join(ARTIFACTS, "timeout.png"), fullPage: true });
    await page.fill("#search", "");
    await expect.poll(() => page.locator("#plugin-list li").count()).toBeGreaterThan(1);
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
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(ARTIFACTS, "playground.png"), fullPage: true });
  });

  it("shows a bad upload's errors and keeps Register disabled", async () => {
    const dir = join(tmpdir(), `playground-upload-${process.pid}`);
    const junkPath = join(dir, "junk.wasm");
    writeFileSync(junkPath, "not a wasm module");
    await page.setInputFiles("#wasm-file", junkPath);
    await page.click("#check");
    await page.locator("#verdict.bad").waitFor();
    expect(await page.locator(".issues").textContent()).toMatch(/BAD_MAGIC/);
    expect(await page.isDisabled("#register")).toBe(true);
  });
});
