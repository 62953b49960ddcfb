/**
 * A small typed event hub. Listeners run synchronously after the change is committed, so a listener always
 * sees the registry in its new state. A throwing listener never undoes the change or stops the others: its
 * error becomes a process warning.
 */
export class TypedEvents<Events extends object> {
  readonly #listeners = new Map<keyof Events, Set<(event: never) => void>>();

  on<K extends keyof Events>(event: K, listener: (event: Events[K]) => void): () => void {
    let set = this.#listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    const entry = listener as (event: never) => void;
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  }

  emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    const set = this.#listeners.get(event);
    if (set === undefined) return;
    for (const listener of [...set]) {
      try {
        (listener as (event: Events[K]) => void)(payload);
      } catch (error) {
        process.emitWarning(
          `A registry "${String(event)}" listener threw: ${(error as Error)?.message ?? String(error)}`,
          { code: "WASM_SANDBOX_REGISTRY_LISTENER", detail: (error as Error)?.stack },
        );
      }
    }
  }

  clear(): void {
    this.#listeners.clear();
  }
}
