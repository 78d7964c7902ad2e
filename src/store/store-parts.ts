import type { BlobBackend } from './blob-backend.ts';
import type { MetaDb } from './meta-db.ts';

/** A store's insides, for the operations kept in files of their own (garbage collection, blob records). */
export interface StoreParts {
  name: string;
  db: MetaDb;
  backend: BlobBackend;
  now: () => number;
  /** Whether a blob is recorded and its bytes are in place. */
  hasBlob: (key: string) => Promise<boolean>;
}
