import type { IHasher } from 'hash-wasm';
import { throwIfAborted } from '../errors/index.ts';
import type { PartialWriter } from '../store/worker.ts';

/** What a partial's checkpoint holds: the hasher's state after `offset` bytes of blob `key`. */
interface Checkpoint {
  v: 1;
  key: string;
  offset: number;
  state: string;
}

const CATCH_UP_CHUNK = 8 * 2 ** 20;

/** The checkpoint text for a hasher's saved `state` after `offset` bytes of blob `key`. */
export function encodeCheckpoint(key: string, offset: number, state: Uint8Array): string {
  const record: Checkpoint = { v: 1, key, offset, state: toBase64(state) };
  return JSON.stringify(record);
}

/**
 * Finds where to resume: the checkpoint gives a hasher state at some offset; the bytes stored after
 * it (written but not yet checkpointed when the page died) are re-hashed, so nothing that reached
 * the disk is fetched again. A partial longer than the file is junk and starts over. The re-hash
 * gives the event loop a turn after each 8 MiB (OPFS reads are synchronous: messages such as an
 * abort would wait for the whole of it) and stops with `signal`'s typed reason once it aborts.
 */
export async function restore(
  partial: PartialWriter,
  hasher: IHasher,
  reset: () => void,
  key: string,
  size: number,
  signal?: AbortSignal,
): Promise<number> {
  throwIfAborted(signal);
  const stored = partial.size();
  reset();
  if (stored > size) {
    await partial.truncate(0);
    return 0;
  }
  let offset = 0;
  const text = await partial.readCheckpoint();
  if (text !== undefined) {
    try {
      const record = JSON.parse(text) as Checkpoint;
      if (record.v === 1 && record.key === key && Number.isSafeInteger(record.offset) && record.offset <= stored) {
        hasher.load(fromBase64(record.state));
        offset = record.offset;
      }
    } catch {
      // A torn or foreign checkpoint: re-hash the partial from byte 0.
      reset();
      offset = 0;
    }
  }
  const buffer = new Uint8Array(Math.min(CATCH_UP_CHUNK, Math.max(1, stored - offset)));
  for (let slice = 0; offset < stored; slice++) {
    if (slice > 0) await nextTask();
    throwIfAborted(signal);
    const read = await partial.read(buffer.subarray(0, Math.min(buffer.length, stored - offset)), offset);
    if (read <= 0) break;
    hasher.update(buffer.subarray(0, read));
    offset += read;
  }
  if (offset < stored) await partial.truncate(offset);
  return offset;
}

/** Resolves in a later task, after what the event loop has queued (messages, timers). */
function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function toBase64(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text);
}

function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
}
