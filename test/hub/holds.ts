/** Names the control API has released: a `hold` fault with one of them lets its body go on. */
const released = new Set<string>();
const waiting = new Map<string, Array<() => void>>();

/** Resolves once `name` is released (at once if it was already). */
export function whenReleased(name: string): Promise<void> {
  if (released.has(name)) return Promise.resolve();
  return new Promise((resolve) => waiting.set(name, [...(waiting.get(name) ?? []), resolve]));
}

/** Releases `name`: bodies held on it go on, and later ones are not held. */
export function release(name: string): void {
  released.add(name);
  for (const resolve of waiting.get(name) ?? []) resolve();
  waiting.delete(name);
}
