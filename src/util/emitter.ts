/** A tiny typed event emitter: `on` returns the function that removes the listener. */
export class Emitter<Events extends Record<string, unknown>> {
  #listeners = new Map<keyof Events, Set<(event: never) => void>>();

  on<K extends keyof Events>(type: K, listener: (event: Events[K]) => void): () => void {
    let set = this.#listeners.get(type);
    if (set === undefined) this.#listeners.set(type, (set = new Set()));
    set.add(listener);
    return () => this.off(type, listener);
  }

  off<K extends keyof Events>(type: K, listener: (event: Events[K]) => void): void {
    this.#listeners.get(type)?.delete(listener);
  }

  /** Removes every listener. */
  protected clear(): void {
    this.#listeners.clear();
  }

  /** Calls every listener of `type`; false when there was none. */
  protected emit<K extends keyof Events>(type: K, event: Events[K]): boolean {
    const listeners = [...(this.#listeners.get(type) ?? [])];
    for (const listener of listeners) {
      try {
        (listener as (event: Events[K]) => void)(event);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
    return listeners.length > 0;
  }
}
