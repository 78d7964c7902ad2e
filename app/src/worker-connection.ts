import * as Comlink from 'comlink';
import { RuntimeError } from 'hangar';
import { WORKER_READY, WORKER_STAGE, type ReportedStage } from './worker-ready.ts';

/**
 * How far a worker got: created, its module loaded (`ready`), the page's request to open a model
 * arrived (`asked`), it asked for the model's first file, the model opened.
 */
export type WorkerStage = 'spawned' | 'ready' | 'asked' | 'first file' | 'loaded';

const ORDER: readonly WorkerStage[] = ['spawned', 'ready', 'asked', 'first file', 'loaded'];

/** What the error says of one attempt. */
export interface AttemptRecord {
  readonly attempt: number;
  readonly reached: WorkerStage;
  log(): string;
}

/** The stages in the words the error shows. */
export const STAGE_WORDS: Record<WorkerStage, string> = {
  spawned: 'started, code not loaded',
  ready: 'code loaded, not yet asked to open the model',
  asked: 'asked to open the model, no model file asked for',
  'first file': 'opening the model',
  loaded: 'model open',
};

/**
 * One app worker as the runner sees it: its comlink API, the stages it reached (with the time
 * since it was created), `ready` once it announced itself, and `failed`, which rejects at once
 * when its module did not load (an `error` event before `ready`: a syntax error, an import that
 * did not arrive, a script served wrong) or a message from it could not be read (`messageerror`).
 */
export class WorkerConnection<Api> implements AttemptRecord {
  readonly api: Comlink.Remote<Api>;
  readonly ready: Promise<void>;
  readonly failed: Promise<never>;
  readonly #worker: Worker;
  readonly #started = performance.now();
  readonly #stages: Array<[WorkerStage, number]> = [['spawned', 0]];
  #ended = '';
  /** Called with each stage the worker reports on its own port. */
  onReport: (stage: ReportedStage) => void = () => {};

  readonly attempt: number;
  constructor(worker: Worker, attempt: number) {
    this.attempt = attempt;
    this.#worker = worker;
    this.api = Comlink.wrap<Api>(worker);
    let announced = (): void => {};
    let fail = (_error: RuntimeError): void => {};
    this.ready = new Promise((resolve) => (announced = resolve));
    this.failed = new Promise((_, reject) => (fail = reject));
    this.failed.catch(() => {});
    worker.addEventListener('message', (event: MessageEvent<unknown>) => {
      const data = event.data as { type?: unknown; stage?: ReportedStage } | null;
      if (data?.type === WORKER_READY) {
        this.reach('ready');
        announced();
      } else if (data?.type === WORKER_STAGE && data.stage !== undefined) {
        this.reach(data.stage);
        this.onReport(data.stage);
      }
    });
    worker.addEventListener('error', (event) => {
      const message = event instanceof ErrorEvent && event.message !== '' ? event.message : 'its script or one of its imports did not load';
      if (this.reached !== 'spawned') return console.warn(`App worker (try ${attempt}): ${message}`);
      event.preventDefault();
      this.#ended = `load failed: ${message}`;
      fail(
        workerFailure(
          'load',
          'The part of the app that runs the model could not load in this browser (the app may have been updated while this page was open).',
          [this],
        ),
      );
    });
    worker.addEventListener('messageerror', () => {
      this.#ended = 'a message could not be read';
      fail(workerFailure('message', 'The part of the app that runs the model sent a message this page could not read.', [this]));
    });
  }

  /** The last stage reached. */
  get reached(): WorkerStage {
    return this.#stages.at(-1)![0];
  }

  /** Records a stage (and those before it, when a report overtook them). */
  reach(stage: WorkerStage): void {
    const ms = Math.round(performance.now() - this.#started);
    for (const earlier of ORDER.slice(ORDER.indexOf(this.reached) + 1, ORDER.indexOf(stage) + 1)) this.#stages.push([earlier, ms]);
  }

  /** Notes why the runner gave up on this worker (shown in the log). */
  giveUp(why: string): void {
    this.#ended = why;
  }

  /** This attempt's log line: `try 1: spawned 0 ms → ready 420 ms (no model file asked for within 20 s)`. */
  log(): string {
    const stages = this.#stages.map(([stage, ms]) => `${stage} ${ms} ms`).join(' → ');
    return `try ${this.attempt}: ${stages}${this.#ended === '' ? '' : ` (${this.#ended})`}`;
  }

  terminate(): void {
    this.#worker.terminate();
  }
}

/**
 * The error for a worker that failed: its message is in plain words (the app shows it as is),
 * `details.worker` says how it failed, `details.stage` the stage the last attempt reached and
 * `details.attempts` each attempt's stages with their times.
 */
export function workerFailure(kind: 'load' | 'message' | 'silent', words: string, attempts: readonly AttemptRecord[]): RuntimeError {
  const stages = attempts.map((attempt) => `try ${attempt.attempt}: ${STAGE_WORDS[attempt.reached]}`).join('; ');
  return new RuntimeError('SESSION_FAILED', `${words} Reload the page; models on this device are kept. (Where it stopped: ${stages}.)`, {
    details: { worker: kind, stage: attempts.at(-1)?.reached, attempts: attempts.map((attempt) => attempt.log()).join(' | ') },
  });
}
