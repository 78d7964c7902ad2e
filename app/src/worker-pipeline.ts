import { env, pipeline, type AllTasks, type PipelineType } from '@huggingface/transformers';
import { createModelManager, isHangarError, RuntimeError, type Dtype, type HangarError, type ModelManager } from 'hangar';
import { configureTransformers } from 'hangar/transformers';
import { announceStage } from './worker-ready.ts';

/** What the page asks a worker to open. */
export interface PipelineRequest {
  endpoint: string;
  storeName?: string;
  repo: string;
  /** One dtype, or one per graph as `plan()` chose them (`{ encoder_model: 'q8', decoder_model_merged: 'q8' }`). */
  dtype: Dtype | Record<string, Dtype>;
  device: 'wasm' | 'webgpu';
  /** WASM threads; the runtime's default when absent. */
  threads?: number;
}

/** How opening goes: a missing file downloading through Hangar, or a file being read from the store. */
export type OpenProgress = { phase: 'download'; file: string; percent: number } | { phase: 'open'; file: string };

type Pipeline<T extends PipelineType> = AllTasks[T];

/**
 * A worker's one transformers.js pipeline, read from Hangar's store (missing files downloaded
 * through Hangar, verified and resumable). Opened again only when the request changes; a failed
 * open leaves none.
 */
export class WorkerPipeline<T extends PipelineType> {
  #manager: ModelManager | undefined;
  #pipe: Pipeline<T> | undefined;
  #opened = '';

  /** `what` names the model in errors ("The assistant model could not be opened: …"). */
  readonly task: T;
  readonly what: string;
  constructor(task: T, what: string) {
    this.task = task;
    this.what = what;
  }

  get pipe(): Pipeline<T> | undefined {
    return this.#pipe;
  }

  async open(request: PipelineRequest, onProgress?: (progress: OpenProgress) => void): Promise<{ loadMs: number }> {
    announceStage('asked');
    const key = JSON.stringify(request);
    if (this.#pipe !== undefined && key === this.#opened) return { loadMs: 0 };
    const started = performance.now();
    await this.#pipe?.dispose();
    this.#pipe = undefined;
    this.#manager?.close();
    this.#manager = createModelManager({
      endpoint: request.endpoint,
      ...(request.storeName === undefined ? {} : { storeName: request.storeName }),
    });
    configureTransformers(this.#manager, env, {
      progress_callback: (event) => {
        if (event.status === 'progress') onProgress?.({ phase: 'download', file: event.file, percent: event.progress });
      },
    });
    if (request.threads !== undefined) env.backends.onnx.wasm!.numThreads = request.threads;
    let first = true;
    try {
      this.#pipe = await pipeline(this.task, request.repo, {
        dtype: request.dtype,
        device: request.device,
        progress_callback: (event) => {
          if (first) announceStage('first file');
          first = false;
          if (event.status === 'initiate') onProgress?.({ phase: 'open', file: event.file });
        },
      });
    } catch (error) {
      throw openError(error, this.what);
    }
    this.#opened = key;
    return { loadMs: performance.now() - started };
  }
}

/** Why a pipeline did not open: Hangar's own error when one is in the cause chain, else RuntimeError SESSION_FAILED around the runtime's. */
function openError(error: unknown, what: string): HangarError {
  for (let cause = error; cause !== undefined && cause !== null; cause = (cause as { cause?: unknown }).cause) {
    if (isHangarError(cause)) return cause;
  }
  const message = error instanceof Error ? error.message : String(error);
  return new RuntimeError('SESSION_FAILED', `${what} could not be opened: ${message}`, { cause: error });
}
