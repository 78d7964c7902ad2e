import type * as Comlink from 'comlink';
import { WorkerConnection, workerFailure, type AttemptRecord, type WorkerStage } from './worker-connection.ts';

/** How long Stop waits for a worker to stop by itself before it ends the worker. */
const STOP_MS = 1000;
/** How long a fresh worker may take to load its module and say `ready`. */
const READY_MS = 8000;
/** How long a ready worker may take to ask for the model's first file (or finish opening it). */
const START_MS = 20_000;

/** Why the runner gave up waiting on a worker. */
interface Silence {
  waited: 'ready' | 'first file';
  ms: number;
}

/** What `work` reports: the worker asked for a model file, or opened the model. */
export type Progress = (stage: Extract<WorkerStage, 'first file' | 'loaded'>) => void;

/**
 * The page's side of an app worker that runs one job at a time. Stop asks the worker to stop and
 * ends it when it has not within a second (or at once), so Stop always works, even while the
 * worker is deep in a model load or an inference step. A failed run ends the worker too: the next
 * run starts a fresh one, with nothing left behind (a backend that failed, a half-opened model).
 *
 * A worker whose module did not load fails the run at once (its `error` event). One that has not
 * said `ready` within 8 s, or, ready, has not asked for the model's first file within 20 s, is
 * replaced once; a second silent one fails the run. Nothing is sent to a worker before its
 * `ready`. The error carries each attempt's stages (spawned → ready → asked → first file →
 * loaded) with their times, so a hang shows where it stuck.
 */
export class WorkerRunner<Api> {
  #connection: WorkerConnection<Api> | undefined;
  #running = false;
  #kill: (() => void) | undefined;
  #stopTimer: ReturnType<typeof setTimeout> | undefined;

  readonly spawn: () => Worker;
  constructor(spawn: () => Worker) {
    this.spawn = spawn;
  }

  get running(): boolean {
    return this.#running;
  }

  /**
   * Runs `work` against the worker's API; `work` reports the first file asked for and the model
   * opened. Resolves with its result, or undefined when Stop had to end the worker.
   */
  async run<T>(
    work: (api: Comlink.Remote<Api>, progress: Progress) => Promise<T>,
    { readyMs = READY_MS, startMs = START_MS } = {},
  ): Promise<T | undefined> {
    if (this.#running) throw new Error('The worker is already running a job');
    this.#running = true;
    const killed = new Promise<undefined>((resolve) => (this.#kill = () => resolve(undefined)));
    const attempts: AttemptRecord[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      for (let attempt = 1; ; attempt++) {
        const connection = this.#connect(attempt);
        attempts.push(connection);
        let progressed = false;
        const silence = new Promise<Silence>((resolve) => {
          const waitFor = (waited: Silence['waited'], ms: number): void => {
            clearTimeout(timer);
            timer = setTimeout(() => resolve({ waited, ms }), ms);
          };
          if (connection.reached !== 'spawned') return waitFor('first file', startMs);
          waitFor('ready', readyMs);
          void connection.ready.then(() => progressed || waitFor('first file', startMs));
        });
        const progress: Progress = (stage) => {
          progressed = true;
          clearTimeout(timer);
          if (this.#connection === connection) connection.reach(stage);
        };
        // The worker's own report counts as much as the comlink callback's (which travels on another channel).
        connection.onReport = (stage) => stage === 'first file' && progress(stage);
        const outcome = await Promise.race([
          // Nothing is sent before `ready`: Firefox can drop a message posted to a module worker still loading.
          connection.ready.then(() => work(connection.api, progress)).then((value) => ({ value })),
          killed.then(() => ({ value: undefined })),
          silence,
          connection.failed,
        ]);
        if ('value' in outcome) return outcome.value;
        const seconds = outcome.ms / 1000;
        connection.giveUp(outcome.waited === 'ready' ? `not ready within ${seconds} s` : `no model file asked for within ${seconds} s`);
        console.warn(`App worker replaced: ${connection.log()}`);
        this.#end();
        if (attempt === 2) throw silentFailure(outcome, attempts);
      }
    } catch (error) {
      if (attempts.length > 0) console.warn(`App worker failed: ${attempts.map((attempt) => attempt.log()).join(' | ')}`);
      this.#end();
      throw error;
    } finally {
      clearTimeout(timer);
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
    if (this.#connection !== undefined) void ask(this.#connection.api).catch(() => {});
    this.#stopTimer = setTimeout(end, STOP_MS);
  }

  #connect(attempt: number): WorkerConnection<Api> {
    return (this.#connection ??= new WorkerConnection<Api>(this.spawn(), attempt));
  }

  #end(): void {
    this.#connection?.terminate();
    this.#connection = undefined;
  }
}

function silentFailure({ waited, ms }: Silence, attempts: readonly AttemptRecord[]): Error {
  const last =
    waited === 'ready'
      ? `the second try did not load its code within ${ms / 1000} s`
      : `the second try did not begin opening the model within ${ms / 1000} s`;
  return workerFailure('silent', `The part of the app that runs the model did not start working, twice (${last}).`, attempts);
}
