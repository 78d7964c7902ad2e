import { parseArchiveManifest, type ArchiveManifest } from '../cache/index.ts';
import { BackupError } from '../errors/index.ts';

/** One model revision in a backup snapshot: the archive manifest's fields without its header. */
export type BackupModel = Pick<ArchiveManifest, 'repo' | 'commit' | 'refs' | 'files'>;

/** `snapshots/<time>.json` in a backup folder: every complete revision the store held at `createdAt`. */
export interface BackupManifest {
  format: 'hangar-backup';
  version: 1;
  createdAt: string;
  models: BackupModel[];
}

/** Files one model may list; far beyond any model repo, a bound on a hostile manifest. */
const MAX_FILES = 100_000;

/**
 * Checks untrusted JSON against the manifest's rules (each model by the archive manifest's: repo id,
 * 40-hex commit, safe paths, well-formed hashes) and returns a clean copy; BackupError BACKUP_INVALID.
 */
export function parseBackupManifest(value: unknown, name: string): BackupManifest {
  const bad = (message: string, cause?: unknown): BackupError =>
    new BackupError('BACKUP_INVALID', `The backup snapshot ${name} ${message}`, { cause, details: { snapshot: name } });
  if (typeof value !== 'object' || value === null) throw bad('is not a JSON object');
  const { format, version, createdAt, models } = value as Record<string, unknown>;
  if (format !== 'hangar-backup') throw bad(`has format ${JSON.stringify(format)}, expected "hangar-backup"`);
  if (version !== 1) throw bad(`has version ${JSON.stringify(version)}; this Hangar reads version 1`);
  if (typeof createdAt !== 'string' || Number.isNaN(Date.parse(createdAt))) throw bad('has no ISO date');
  if (!Array.isArray(models)) throw bad('lists no models');
  return {
    format,
    version,
    createdAt,
    models: models.map((model: unknown) => {
      try {
        const { repo, commit, refs, files } = parseArchiveManifest(
          { ...(model as object), format: 'hangar-archive', version: 1, createdAt },
          MAX_FILES,
        );
        return { repo, commit, refs, files };
      } catch (error) {
        throw bad(`lists a bad model: ${(error as Error).message}`, error);
      }
    }),
  };
}
