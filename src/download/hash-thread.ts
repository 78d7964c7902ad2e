import type { IHasher } from 'hash-wasm';
import { DownloadError } from '../errors/index.ts';
import { untilAborted } from '../util/index.ts';
import type { FileHash } from '../hub/index.ts';

/** Messages to the hash thread, handled in order. */
export type HashRequest =
  | { type: 'start'; hash: FileHash; size: number; state?: Uint8Array }
  | { type: 'update'; buffer: ArrayBuffer; length: number }
  | { type: 'reset' }
  | { type: 'save' }
  | { type: 'digest' };

/** Messages from the hash thread. */
export type HashReply =
  | { type: 'buffer'; buffer: ArrayBuffer }
  | { type: 'saved'; state: Uint8Array }
  | { type: 'digest'; hex: string }
  | { type: 'error'; message: string };

/**
 * The hasher of one download, fed chunk by chunk; `update` may take the chunk's buffer (do not touch
 * it after). A `signal` ends that call's wait with its reason (the hasher itself goes on).
 */
export interface StreamHasher {
  /** Hashes `chunk` (bytes 0..length of a buffer it may take over); resolves when the next chunk may be sent. */
  update(chunk: Uint8Array, signal?: AbortSignal): Promise<void>;
  /** A buffer to read the next chunk into, if the hasher has one to give back. */
  spare(): ArrayBuffer | undefined;
  reset(): void;
  /** The state after every chunk so far (for a checkpoint). */
  save(signal?: AbortSignal): Promise<Uint8Array>;
  digest(signal?: AbortSignal): Promise<string>;
  close(): void;
}

/** How a hash thread is bounded and started. */
export interface HashThreadOptions {
  /** A thread that owes an answer and gives none for this long fails (STALLED) and is ended (default 30 s). */
  stallMs?: number;
  /** Starts a fresh thread, never an idle one (tests). */
  spawn?: () => Worker;
}

/** Bytes sent to the hash thread and not yet hashed, at most (a ring of 1 MiB read buffers). */
const IN_FLIGHT = 8;

/** A hasher on this thread (where the engine has no nested workers, or the hash thread failed). */
export function inlineHasher(hasher: IHasher, reset: () => void): StreamHasher {
  return {
    update: async (chunk) => void hasher.update(chunk),
    spare: () => undefined,
    reset,
    save: async () => hasher.save(),
    digest: async () => hasher.digest('hex'),
    close: () => {},
  };
}

let threadsWork = typeof Worker !== 'undefined';

/** How long a thread whose download ended cleanly waits for the next large file before it ends. */
const IDLE_MS = 30_000;
let idle: { worker: Worker; timer: ReturnType<typeof setTimeout> } | undefined;

/** The idle thread, if there is one, or a new one. */
function takeThread(spawn?: () => Worker): { worker: Worker; reused: boolean } {
  if (spawn !== undefined) return { worker: spawn(), reused: false };
  if (idle === undefined)
    return { worker: new Worker(new URL('./hash.worker.ts', import.meta.url), { type: 'module', name: 'hangar-hash' }), reused: false };
  clearTimeout(idle.timer);
  const { worker } = idle;
  idle = undefined;
  return { worker, reused: true };
}

/** Keeps a thread with nothing queued for the next file (one at most; it starts over on 'start'). */
function park(worker: Worker): void {
  if (idle !== undefined) return worker.terminate();
  worker.onmessage = null;
  worker.onerror = null;
  worker.onmessageerror = null;
  const timer = setTimeout(() => {
    if (idle?.worker === worker) idle = undefined;
    worker.terminate();
  }, IDLE_MS);
  idle = { worker, timer };
}

/**
 * Hashes on a thread of its own (a worker the download worker starts, or the one a download that
 * ended cleanly left idle), so that fetching and writing one chunk overlaps hashing the one
 * before: the read buffers go there and back without copies. Continues from `state` (a restored
 * checkpoint's) if given. Undefined where the engine cannot start it; a thread that fails later
 * fails the calls waiting on it (a retryable NETWORK error), and so does one that owes an answer
 * and gives none for `stallMs` (STALLED): it is ended, and if it never answered at all, later files
 * hash inline.
 */
export function startHashThread(
  hash: FileHash,
  size: number,
  state?: Uint8Array,
  { stallMs = 30_000, spawn }: HashThreadOptions = {},
): StreamHasher | undefined {
  if (!threadsWork) return undefined;
  let worker: Worker;
  let answered: boolean;
  try {
    ({ worker, reused: answered } = takeThread(spawn));
  } catch {
    threadsWork = false;
    return undefined;
  }
  const spares: ArrayBuffer[] = [];
  let inFlight = 0;
  let failure: Error | undefined;
  // Calls waiting for a buffer back, a saved state or the digest, in order.
  let onBuffer: (() => void) | undefined;
  const answers: Array<{ resolve: (reply: HashReply) => void; reject: (error: Error) => void }> = [];
  const fail = (error: DownloadError): void => {
    // A thread that never answered could not start (no nested workers, a script that did not load): hash inline from now on.
    if (!answered) threadsWork = false;
    failure ??= error;
    clearTimeout(watchdog);
    for (const waiting of answers.splice(0)) waiting.reject(failure);
    onBuffer?.();
    worker.terminate();
  };
  const failed = (message: string): void => fail(new DownloadError('NETWORK', `The hash thread failed: ${message}`));
  // Runs while the thread owes a buffer or an answer; each answer starts it over.
  let watchdog: ReturnType<typeof setTimeout> | undefined;
  const watch = (restart: boolean): void => {
    if (restart || inFlight + answers.length === 0) {
      clearTimeout(watchdog);
      watchdog = undefined;
    }
    if (watchdog !== undefined || failure !== undefined || inFlight + answers.length === 0) return;
    watchdog = setTimeout(
      () => fail(new DownloadError('STALLED', `The hash thread answered nothing for ${stallMs} ms`, { details: { stallMs } })),
      stallMs,
    );
  };
  worker.onerror = (event) => failed(event.message || 'its script did not load or threw');
  worker.onmessageerror = () => failed('a reply could not be read');
  worker.onmessage = (event: MessageEvent<HashReply>) => {
    const reply = event.data;
    answered = true;
    if (reply.type === 'error') return failed(reply.message);
    if (reply.type === 'buffer') {
      inFlight--;
      if (spares.length < IN_FLIGHT) spares.push(reply.buffer);
      const waiting = onBuffer;
      onBuffer = undefined;
      waiting?.();
    } else answers.shift()?.resolve(reply);
    watch(true);
  };
  const send = (message: HashRequest, transfer: Transferable[] = []): void => {
    if (failure !== undefined) throw failure;
    worker.postMessage(message, transfer);
  };
  const ask = <T extends HashReply['type']>(
    message: HashRequest,
    type: T,
    signal?: AbortSignal,
  ): Promise<Extract<HashReply, { type: T }>> =>
    untilAborted(
      new Promise((resolve, reject) => {
        send(message);
        answers.push({
          resolve: (reply) =>
            reply.type === type
              ? resolve(reply as Extract<HashReply, { type: T }>)
              : reject(new Error(`hash thread answered ${reply.type}`)),
          reject,
        });
        watch(false);
      }),
      signal,
    );
  send({ type: 'start', hash, size, state });
  return {
    async update(chunk, signal) {
      // The thread takes the whole buffer: a chunk that is only part of one is copied first.
      const own = chunk.byteOffset === 0 ? chunk.buffer : chunk.slice().buffer;
      send({ type: 'update', buffer: own as ArrayBuffer, length: chunk.byteLength }, [own]);
      inFlight++;
      watch(false);
      while (inFlight >= IN_FLIGHT && failure === undefined)
        await untilAborted(new Promise<void>((resolve) => (onBuffer = resolve)), signal);
      if (failure !== undefined) throw failure;
    },
    spare: () => spares.pop(),
    reset: () => send({ type: 'reset' }),
    save: async (signal) => (await ask({ type: 'save' }, 'saved', signal)).state,
    digest: async (signal) => (await ask({ type: 'digest' }, 'digest', signal)).hex,
    close: () => {
      // A thread known to work with nothing sent still unanswered can serve the next file (late answers would confuse that one).
      const clean = answered && failure === undefined && inFlight === 0 && answers.length === 0;
      failure ??= new DownloadError('NETWORK', 'The hash thread was closed');
      clearTimeout(watchdog);
      if (clean) park(worker);
      else worker.terminate();
    },
  };
}
