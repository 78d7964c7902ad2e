import { closedError, isHangarError, toHangarError } from './errors/index.ts';

/**
 * `fn` as the public API calls it: once `closed` has aborted it rejects at once with `closedError()`
 * without running, a call still running when it aborts rejects with it too (its own error in
 * `cause`), and any other rejection is a HangarError (an unforeseen one INTERNAL, see `toHangarError`).
 */
export function whileOpen<A extends unknown[], R>(closed: AbortSignal, fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args) => {
    if (closed.aborted) throw closedError();
    try {
      return await fn(...args);
    } catch (error) {
      if (!closed.aborted || (isHangarError(error, 'ABORTED') && error.details.reason === 'close')) throw toHangarError(error);
      throw closedError(error);
    }
  };
}

/** `api` with each of its methods wrapped by `whileOpen`. */
export function methodsWhileOpen<T extends object>(closed: AbortSignal, api: T): T {
  const entries = Object.entries(api).map(([name, value]): [string, unknown] => [
    name,
    typeof value === 'function' ? whileOpen(closed, value as (...args: unknown[]) => Promise<unknown>) : value,
  ]);
  return Object.fromEntries(entries) as T;
}
