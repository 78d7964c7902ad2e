import * as Comlink from 'comlink';
import { deserializeError, serializeError, type SerializedError } from '../errors/index.ts';

interface Thrown {
  value: unknown;
}

/**
 * Makes comlink carry errors whole (code, details, cause chain, class) instead of message/name/stack
 * only. Call it on both sides of the worker boundary; it is idempotent.
 */
export function installErrorTransfer(): void {
  const base = Comlink.transferHandlers.get('throw');
  if (base === undefined) return;
  Comlink.transferHandlers.set('throw', {
    canHandle: (value): value is unknown => base.canHandle(value),
    serialize: (thrown) => [serializeError((thrown as Thrown).value), []],
    deserialize: (data) => {
      throw deserializeError(data as SerializedError);
    },
  });
}
