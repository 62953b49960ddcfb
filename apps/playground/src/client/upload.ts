import { api, type PluginCheck } from "./api.js";
import { byId, h, show } from "./dom.js";
import { checkView, errorBox } from "./render.js";

/** The upload panel: check (validation + audit, nothing runs), then register. */
export class UploadPanel {
  readonly #form = byId<HTMLFormElement>("upload-form");
  readonly #wasm = byId<HTMLInputElement>("wasm-file");
  readonly #manifestFile = byId<HTMLInputElement>("manifest-file");
  readonly #manifestText = byId<HTMLTextAreaElement>("manifest-text");
  readonly #register = byId<HTMLButtonElement>("register");
  readonly #check = byId<HTMLButtonElement>("check");
  readonly #status = byId("upload-status");
  readonly #output = byId("check-output");
  readonly #onRegistered: (check: PluginCheck) => void;

  constructor(onRegistered: (check: PluginCheck) => void) {
    this.#onRegistered = onRegistered;
    this.#manifestFile.addEventListener("change", async () => {
      const file = this.#manifestFile.files?.[0];
      if (file) this.#manifestText.value = pretty(await file.text());
      this.#invalidate();
    });
    this.#wasm.addEventListener("change", () => this.#invalidate());
    this.#manifestText.addEventListener("input", () => this.#invalidate());
    this.#form.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.#runCheck();
    });
    this.#register.addEventListener("click", () => void this.#runRegister());
  }

  /** Any edit makes the last check stale: registering needs a fresh one. */
  #invalidate(): void {
    this.#register.disabled = true;
  }

  #formData(): FormData | undefined {
    const wasm = this.#wasm.files?.[0];
    if (!wasm) {
      this.#status.textContent = "Choose a .wasm file first.";
      return undefined;
    }
    const form = new FormData();
    form.append("wasm", wasm);
    const manifest = this.#manifestText.value.trim();
    if (manifest)
      form.append("manifest", new Blob([manifest], { type: "application/json" }), "manifest.json");
    return form;
  }

  async #runCheck(): Promise<void> {
    const form = this.#formData();
    if (!form) return;
    this.#busy("Checking…");
    try {
      const check = await api.validate(form);
      show(this.#output, checkView(check));
      this.#register.disabled = !check.ok;
      this.#status.textContent = "";
    } catch (error) {
      show(this.#output, errorBox(error));
      this.#status.textContent = "";
    } finally {
      this.#check.disabled = false;
    }
  }

  async #runRegister(): Promise<void> {
    const form = this.#formData();
    if (!form) return;
    this.#busy("Registering…");
    this.#register.disabled = true;
    try {
      const check = await api.register(form);
      const m = check.manifest;
      this.#status.textContent = "";
      this.#output.prepend(
        h(
          "p",
          { class: "verdict ok", id: "registered" },
          `✓ Registered ${m ? `${m.id}@${m.version}` : ""}. It is now in the plugin list.`,
        ),
      );
      this.#onRegistered(check);
    } catch (error) {
      this.#output.prepend(errorBox(error));
      this.#status.textContent = "";
    } finally {
      this.#check.disabled = false;
    }
  }

  #busy(text: string): void {
    this.#check.disabled = true;
    this.#status.textContent = text;
  }
}

/** Indents JSON for reading; anything else (invalid JSON) is shown as it is, for the check to report. */
function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
