import { formatBytes } from "../format.js";
import { api, type ConfigReply, type PluginDetails, type RunLimits, type RunResult } from "./api.js";
import { byId, formatNumber, h, show } from "./dom.js";
import { initialParams } from "./params.js";
import { errorBox } from "./render.js";

const LIMIT_KEYS = ["memory", "fuel", "timeout"] as const;

/** The run panel: entry point, parameters, limits, and the result with its usage. */
export class RunPanel {
  readonly #header = byId("plugin-header");
  readonly #form = byId<HTMLFormElement>("run-form");
  readonly #entry = byId<HTMLSelectElement>("entry");
  readonly #entryDescription = byId("entry-description");
  readonly #params = byId<HTMLTextAreaElement>("params");
  readonly #status = byId("run-status");
  readonly #output = byId("run-output");
  readonly #button = byId<HTMLButtonElement>("run");
  readonly #limitInputs = Object.fromEntries(
    LIMIT_KEYS.map((k) => [k, byId<HTMLInputElement>(`limit-${k}`)]),
  ) as Record<keyof RunLimits, HTMLInputElement>;
  #plugin: PluginDetails | undefined;
  #opening = 0;
  #config: ConfigReply | undefined;

  constructor() {
    this.#entry.addEventListener("change", () => this.#showEntry());
    // Ctrl+Enter (Cmd+Enter) in the parameters runs, as Enter does in the limit fields.
    this.#params.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        this.#form.requestSubmit();
      }
    });
    this.#form.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.run();
    });
  }

  setConfig(config: ConfigReply): void {
    this.#config = config;
    const m = config.maxLimits;
    byId("limit-hint").textContent =
      `Server maxima: ${formatNumber(m.memory)} pages (${formatBytes(m.memory * 65536)}), ` +
      `${formatNumber(m.fuel)} fuel, ${formatNumber(m.timeout)} ms.`;
    for (const key of LIMIT_KEYS) this.#limitInputs[key].max = String(m[key]);
  }

  async open(id: string, version?: string): Promise<void> {
    const request = ++this.#opening;
    show(this.#output);
    this.#status.textContent = "";
    try {
      const plugin = await api.details(id, version);
      // A later click won the race: its plugin is the one to show.
      if (request !== this.#opening) return;
      const { manifest } = plugin;
      this.#plugin = plugin;
      show(
        this.#header,
        h(
          "h2",
          { id: "plugin-title" },
          manifest.name,
          h("span", { class: "version" }, ` v${manifest.version}`),
        ),
        h("p", { class: "muted" }, manifest.description || "No description."),
        h(
          "p",
          { class: "small muted" },
          h("code", {}, manifest.id),
          manifest.author ? ` · by ${manifest.author}` : "",
        ),
      );
      show(
        this.#entry,
        ...manifest.entryPoints.map((e) =>
          h(
            "option",
            { value: e.functionName },
            e.displayName ? `${e.displayName} (${e.functionName})` : e.functionName,
          ),
        ),
      );
      this.#form.hidden = false;
      this.#showEntry();
      for (const key of LIMIT_KEYS) {
        const max = this.#config?.maxLimits[key] ?? Number.POSITIVE_INFINITY;
        this.#limitInputs[key].value = String(Math.min(manifest.limits[key], max));
      }
    } catch (error) {
      if (request !== this.#opening) return;
      this.#form.hidden = true;
      show(this.#output, errorBox(error));
    }
  }

  #showEntry(): void {
    const entry = this.#plugin?.manifest.entryPoints.find((e) => e.functionName === this.#entry.value);
    if (!entry) return;
    const signature = this.#plugin?.signatures[entry.functionName];
    const shape = signature
      ? `${entry.functionName}(${signature.params.join(", ")}) → ${signature.results.join(", ") || "nothing"}`
      : "";
    this.#entryDescription.textContent = [shape, entry.description].filter(Boolean).join(" · ");
    this.#params.value = initialParams(entry, signature);
  }

  async run(): Promise<void> {
    const manifest = this.#plugin?.manifest;
    if (!manifest) return;
    let params: unknown;
    try {
      params = JSON.parse(this.#params.value || "[]");
    } catch (error) {
      show(
        this.#output,
        h(
          "div",
          { class: "error-box", role: "alert", "data-code": "INVALID_JSON" },
          h("span", { class: "code" }, "INVALID_JSON"),
          h("p", {}, `The parameters are not valid JSON: ${(error as Error).message}`),
          h(
            "p",
            { class: "suggestion" },
            "Write a JSON array such as [5, 3], or an object for command entries.",
          ),
        ),
      );
      return;
    }
    const limits: Partial<RunLimits> = {};
    for (const key of LIMIT_KEYS) {
      const value = this.#limitInputs[key].valueAsNumber;
      if (Number.isFinite(value)) limits[key] = value;
    }
    const started = performance.now();
    this.#button.disabled = true;
    this.#output.classList.add("stale");
    const ticker = setInterval(() => {
      this.#status.textContent = `Running… ${Math.round(performance.now() - started)} ms`;
    }, 100);
    this.#status.textContent = "Running…";
    try {
      const result = await api.run({
        id: manifest.id,
        version: manifest.version,
        entry: this.#entry.value,
        params,
        limits,
      });
      show(this.#output, resultView(result));
    } catch (error) {
      show(this.#output, errorBox(error));
    } finally {
      clearInterval(ticker);
      this.#button.disabled = false;
      this.#output.classList.remove("stale");
      this.#status.textContent = `Answered in ${Math.round(performance.now() - started)} ms`;
    }
  }
}

function resultView(result: RunResult): HTMLElement {
  return h(
    "div",
    { class: "result" },
    h("h4", {}, "Result"),
    h("pre", { id: "result-value", class: "value" }, JSON.stringify(result.value, null, 2) ?? "undefined"),
    h("h4", {}, "Usage"),
    h("dl", { class: "usage", id: "usage" }, ...usageItems(result.usage, result.limits)),
    h("p", { class: "muted small" }, usageExtra(result.usage)),
    result.logs.length > 0 ? h("h4", {}, "Plugin log") : null,
    result.logs.length > 0
      ? h(
          "pre",
          { class: "log", id: "plugin-log" },
          result.logs.map((l) => `[${l.level}] ${l.message}`).join("\n"),
        )
      : null,
  );
}

/** The runtime's usage fields (CallUsage) shown as cards, with the limit each one counts against. */
const USAGE_CARDS: {
  key: string;
  label: string;
  format: (n: number) => string;
  limit?: (l: RunLimits) => number;
}[] = [
  { key: "fuel", label: "Fuel", format: formatNumber, limit: (l) => l.fuel },
  { key: "peakMemoryBytes", label: "Peak memory", format: formatBytes, limit: (l) => l.memory * 65536 },
  { key: "wallTimeMs", label: "Time", format: formatMs, limit: (l) => l.timeout },
  { key: "outputBytes", label: "Output", format: formatBytes },
];

function formatMs(n: number): string {
  return n < 10 ? `${n.toFixed(2)} ms` : `${formatNumber(Math.round(n))} ms`;
}

function usageItems(usage: Record<string, unknown>, limits: RunLimits): HTMLElement[] {
  const cards = USAGE_CARDS.filter((c) => typeof usage[c.key] === "number").map((c) =>
    h(
      "div",
      { "data-usage": c.key },
      h("dt", {}, c.label),
      h(
        "dd",
        {},
        c.format(usage[c.key] as number),
        c.limit ? h("span", { class: "of" }, ` of ${c.format(c.limit(limits))}`) : null,
      ),
    ),
  );
  return cards;
}

/** The usage fields that matter less often, on one line. */
function usageExtra(usage: Record<string, unknown>): string {
  const extra: string[] = [];
  if (typeof usage.logBytes === "number" && usage.logBytes > 0)
    extra.push(`log ${formatBytes(usage.logBytes)}`);
  const io = usage.io as { bytesRead: number; bytesWritten: number; filesOpened: number } | undefined;
  if (io)
    extra.push(
      `WASI read ${formatBytes(io.bytesRead)}, wrote ${formatBytes(io.bytesWritten)}, ${io.filesOpened} files`,
    );
  if (usage.freshInstance === true) extra.push("fresh instance");
  return extra.join(" · ");
}
