import { api, type PluginSummary } from "./api.js";
import { byId, h, show } from "./dom.js";
import { errorBox } from "./render.js";

/** The plugin list with search; calls `onSelect` when a plugin is picked. */
export class PluginList {
  readonly #list = byId<HTMLUListElement>("plugin-list");
  readonly #count = byId("plugin-count");
  readonly #search = byId<HTMLInputElement>("search");
  readonly #onSelect: (p: PluginSummary) => void;
  #selected: string | undefined;
  #request = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(onSelect: (p: PluginSummary) => void) {
    this.#onSelect = onSelect;
    this.#search.addEventListener("input", () => {
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => void this.refresh(), 150);
    });
  }

  /** Reloads the list for the current search text; answers to older searches are dropped. */
  async refresh(): Promise<PluginSummary[]> {
    const request = ++this.#request;
    const q = this.#search.value.trim();
    this.#list.setAttribute("aria-busy", "true");
    try {
      const { plugins } = await api.list(q);
      if (request !== this.#request) return plugins;
      this.#count.textContent = q
        ? `${plugins.length} match${plugins.length === 1 ? "" : "es"} for “${q}”`
        : `${plugins.length} plugin${plugins.length === 1 ? "" : "s"} registered`;
      show(this.#list, ...plugins.map((p) => this.#item(p)));
      return plugins;
    } catch (error) {
      if (request === this.#request) show(this.#list, h("li", {}, errorBox(error)));
      return [];
    } finally {
      if (request === this.#request) this.#list.removeAttribute("aria-busy");
    }
  }

  select(id: string): void {
    this.#selected = id;
    for (const li of this.#list.querySelectorAll("li[data-id]")) {
      li.classList.toggle("selected", li.getAttribute("data-id") === id);
    }
  }

  #item(p: PluginSummary): HTMLLIElement {
    const button = h(
      "button",
      { type: "button", class: "plugin" },
      h("span", { class: "plugin-name" }, p.name ?? p.id, h("span", { class: "version" }, ` v${p.version}`)),
      p.description ? h("span", { class: "plugin-desc" }, p.description) : null,
      p.tags && p.tags.length > 0
        ? h("span", { class: "tags" }, ...p.tags.map((t) => h("span", { class: "tag" }, t)))
        : null,
    );
    button.addEventListener("click", () => {
      this.select(p.id);
      this.#onSelect(p);
    });
    return h("li", { "data-id": p.id, class: p.id === this.#selected ? "selected" : undefined }, button);
  }
}
