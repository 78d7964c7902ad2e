import { isHangarError, type HangarError } from '../errors/index.ts';
import type { RepoFile } from '../hub/index.ts';

/** Errors a damaged listing explains: a path the server does not have, bytes that do not match the listed hash or size. */
const LISTING_SUSPECTS = new Set(['ENTRY_NOT_FOUND', 'INTEGRITY_MISMATCH', 'BAD_RESPONSE']);

/**
 * The listing a job's files come from. A listing is not signed, so damage in transit that still
 * parses is caught by its effects: after the first failure it explains, the listing is read once more
 * (once per job), and when that reading differs the job goes on with it.
 */
export class JobListing {
  /** The listing in use. */
  files: RepoFile[] = [];
  readonly #read: () => Promise<RepoFile[]>;
  readonly #reread: () => Promise<RepoFile[]>;
  #checked = false;
  /** A different listing found before a file's retry: the round ends and the job takes it. */
  #found: RepoFile[] | undefined;

  /** `read` gives the listing (kept, or fetched), `reread` fetches it from the Hub whatever is kept (both with the job's retries). */
  constructor(read: () => Promise<RepoFile[]>, reread: () => Promise<RepoFile[]>) {
    this.#read = read;
    this.#reread = reread;
  }

  /** Reads the listing; an unsafe path is read once more before it is believed. */
  async load(): Promise<void> {
    this.files = await this.#read().catch((error: unknown) => {
      if (isHangarError(error, 'UNSAFE_PATH')) return this.#reread();
      throw error;
    });
  }

  /** Before a file retries `error`: throws it, ending the round, when the listing read again differs. */
  async beforeRetry(error: HangarError): Promise<void> {
    if (!LISTING_SUSPECTS.has(error.code)) return;
    this.#found = await this.#changed();
    if (this.#found !== undefined) throw error;
  }

  /** After a round failed with `error`: true when the job should run again on a new listing (now `files`). */
  async replaceAfter(error: HangarError): Promise<boolean> {
    let fresh = this.#found;
    this.#found = undefined;
    // A retryable failure was checked by its file before it retried (beforeRetry); a final one is checked here.
    if (fresh === undefined && !error.retryable && LISTING_SUSPECTS.has(error.code)) fresh = await this.#changed();
    if (fresh === undefined) return false;
    this.files = fresh;
    return true;
  }

  /** The listing read again, once per job: returned when it differs from the one in use. */
  async #changed(): Promise<RepoFile[] | undefined> {
    if (this.#checked) return undefined;
    this.#checked = true;
    const fresh = await this.#reread();
    return sameListing(fresh, this.files) ? undefined : fresh;
  }
}

/** Whether two listings name the same files with the same sizes and hashes. */
function sameListing(a: RepoFile[], b: RepoFile[]): boolean {
  const key = (files: RepoFile[]): string =>
    files
      .map((file) => `${file.path}\0${file.size}\0${file.hash.algorithm}:${file.hash.value}`)
      .sort()
      .join('\n');
  return key(a) === key(b);
}
