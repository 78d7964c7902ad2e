import type { OpenProgress } from './worker-pipeline.ts';

/** A status line for a worker opening `what` ("the model"): which file it downloads or reads. */
export function openingText(progress: OpenProgress, what: string): string {
  const file = progress.file.split('/').at(-1) ?? progress.file;
  return progress.phase === 'download'
    ? `Downloading ${what}: ${file} ${Math.round(progress.percent)}%`
    : `Opening ${what} from this device: ${file}…`;
}
