import type { HangarError } from '../index.ts';

/** Words for an error, its code kept (the panel is for developers). */
export function describeError(error: unknown): string {
  const code = (error as HangarError | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return code === undefined ? message : `${message} (${code})`;
}
