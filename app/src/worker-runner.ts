import * as Comlink from 'comlink';
import { RuntimeError } from 'hangar';

/** How long Stop waits for a worker to stop by itself before it ends the worker. */
const STOP_MS = 1000;
/** How long a fresh worker may take to give its first sign of life (module loaded, first file asked for). */
const START_MS = 20_000;
const STUCK = Symbol('stuck');

/**
 * The page's side of an app worker that runs one job at a time. Stop asks the worker to stop and
 * ends it when it has not within a second (or at once), so Stop always works, even while the
 * worker is deep in a model load or an inference step. A failed run ends the worker too: the next
 * run starts a fresh one, with nothing left behind (a backend that failed, a half-opened model).
 * A worker that gives no sign of life within 20 s of a run's start (Firefox has been seen to leave
 * one hanging before its first file) is replaced once; a second silent one fails the run.
 */
export class WorkerRunner<Api> {
  #worker: Worker | undefined;
  #api: Comlink.Remote<Api> | undefined;
  #running = false;
  #kill: (() => void) | undefined;
  #stopTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(readonly spawn: () => Worker) {}

  get running(): boolean {
    return this.#running;
  }

  /**
   * Runs `work` against the worker's API; `work` calls `alive` when the worker shows progress.
   * Resolves with its result, or undefined when Stop had to end the worker.
   */
  async run<T>(work: (api: Comlink.Remote<Api>, alive: () => void) => Promise<T>, { startMs = START_MS } = {}): Promise<T | undefined> {
    if (this.#running) throw new Error('The worker is already running a job');
    this.#running = true;
    const killed = new Promise<undefined>((resolve) => (this.#kill = () => resolve(undefined)));
    let silent: ReturnType<typeof setTimeout> | undefined;
    try {
      for (let attempt = 1; ; attempt++) {
        const stuck = new Promise<typeof STUCK>((resolve) => (silent = setTimeout(() => resolve(STUCK), startMs)));
        const outcome = await Promise.race([work(this.#connect(), () => clearTimeout(silent)), killed, stuck]);
        if (outcome !== STUCK) return outcome;
        this.#end();
        if (attempt === 2)
          throw new RuntimeError('SESSION_FAILED', `The worker gave no sign of life within ${startMs / 1000} s, twice`, {
            details: { startMs },
          });
      }
    } catch (error) {
      this.#end();
      throw error;
    } finally {
      clearTimeout(silent);
      clearTimeout(this.#stopTimer);
      this.#running = false;
      this.#kill = undefined;
    }
  }

  /** Asks the worker to stop (`ask`), and ends it when the run has not finished after a second, or at once with `now`. */
  stop(ask: (api: Comlink.Remote<Api>) => Promise<unknown>, { now = false } = {}): void {
    if (!this.#running) return;
    const end = (): void => {
      this.#end();
      this.#kill?.();
    };
    clearTimeout(this.#stopTimer);
    if (now) return end();
    if (this.#api !== undefined) void ask(this.#api).catch(() => {});
    this.#stopTimer = setTimeout(end, STOP_MS);
  }

  #connect(): Comlink.Remote<Api> {
    if (this.#api !== undefined) return this.#api;
    this.#worker = this.spawn();
    return (this.#api = Comlink.wrap<Api>(this.#worker));
  }

  #end(): void {
    this.#worker?.terminate();
    this.#worker = undefined;
    this.#api = undefined;
  }
}
