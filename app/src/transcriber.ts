import * as Comlink from 'comlink';
import type { LoadRequest, TranscriberApi, TranscribeOptions, TranscriptionResult, WindowDone } from './transcriber.worker.ts';

/** How long Stop waits for the worker to stop between windows before it ends the worker. */
const STOP_MS = 1000;

/** What a run reports as it goes. */
export interface RunEvents {
  loaded: (loadMs: number) => void;
  window: (window: WindowDone) => void;
}

/**
 * The page's side of the transcription worker: one run at a time, Stop within a second (between
 * windows, or by ending a busy worker), and a fresh worker after a failure, so a backend that
 * failed (WebGPU) leaves nothing behind for the next run.
 */
export class Transcriber {
  #worker: Worker | undefined;
  #api: Comlink.Remote<TranscriberApi> | undefined;
  #running = false;
  #kill: (() => void) | undefined;
  #stopTimer: ReturnType<typeof setTimeout> | undefined;

  get running(): boolean {
    return this.#running;
  }

  /** Loads the model and transcribes `audio`. Resolves with the result, or undefined when Stop had to end the worker. */
  async run(
    request: LoadRequest,
    audio: Float32Array,
    options: TranscribeOptions,
    on: RunEvents,
  ): Promise<TranscriptionResult | undefined> {
    if (this.#running) throw new Error('A transcription is already running');
    this.#running = true;
    const api = this.#connect();
    const killed = new Promise<undefined>((resolve) => (this.#kill = () => resolve(undefined)));
    const work = (async () => {
      const { loadMs } = await api.load(request);
      on.loaded(loadMs);
      return api.transcribe(audio, options, Comlink.proxy(on.window));
    })();
    try {
      return await Promise.race([work, killed]);
    } catch (error) {
      this.#end();
      throw error;
    } finally {
      clearTimeout(this.#stopTimer);
      this.#running = false;
      this.#kill = undefined;
    }
  }

  /** Stops the run before its next window; a worker still busy after a second is ended. */
  stop(): void {
    if (!this.#running) return;
    void this.#api?.cancel();
    clearTimeout(this.#stopTimer);
    this.#stopTimer = setTimeout(() => {
      this.#end();
      this.#kill?.();
    }, STOP_MS);
  }

  #connect(): Comlink.Remote<TranscriberApi> {
    if (this.#api !== undefined) return this.#api;
    this.#worker = new Worker(new URL('./transcriber.worker.ts', import.meta.url), { type: 'module' });
    return (this.#api = Comlink.wrap<TranscriberApi>(this.#worker));
  }

  #end(): void {
    this.#worker?.terminate();
    this.#worker = undefined;
    this.#api = undefined;
  }
}
