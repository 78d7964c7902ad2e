/** The median of `values` (mean of the middle two for an even count); NaN when empty. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return NaN;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** `promise`, or a rejection naming `label` after `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, label: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${label}: timed out after ${Math.round(ms / 1000)} s`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Undo actions run last-in first-out; each failure is reported and the rest still run. */
export class Cleanup {
  readonly #steps: Array<{ label: string; step: () => unknown }> = [];

  add(label: string, step: () => unknown): void {
    this.#steps.push({ label, step });
  }

  async run(timeoutMs = 30_000): Promise<void> {
    for (let entry = this.#steps.pop(); entry !== undefined; entry = this.#steps.pop()) {
      try {
        await withTimeout(Promise.resolve().then(entry.step), timeoutMs, `cleanup ${entry.label}`);
      } catch (error) {
        console.error(`cleanup ${entry.label} failed: ${(error as Error).message}`);
      }
    }
  }
}

/** Bytes as MiB. */
export const mib = (bytes: number): number => bytes / 2 ** 20;

/** A number with `digits` decimals, or '–' when not finite. */
export function fmt(value: number | undefined, digits = 0): string {
  return value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits);
}
