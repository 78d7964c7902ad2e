import type { ResolvedConfig } from '../config/index.ts';
import { hubContext, listRepoFiles, resolveRevision, type RepoFile } from '../hub/index.ts';
import type { CommitRecord, Store } from '../store/index.ts';
import { untilAborted } from '../util/index.ts';
import { isModelConfig, readModelConfig, type ModelConfig } from './read-model-config.ts';

/** Where records are kept between pages: the manager's store once it is open (or opening). */
export type CommitRecords = () => Promise<Store> | undefined;

/**
 * What the Hub says about a repo, read as seldom as it can be: a revision is resolved at most once
 * at a time (concurrent asks share the request); the listing and config.json at a commit, which
 * never change, are read once and then kept, in memory and in the store (a reload finds them there).
 * The reads run under the manager's `closed` signal; each caller waits with its own.
 */
export class CommitMetadata {
  readonly #config: ResolvedConfig;
  readonly #closed: AbortSignal;
  readonly #records: CommitRecords;
  readonly #commits = new Map<string, Promise<string>>();
  readonly #listings = new Map<string, Promise<RepoFile[]>>();
  readonly #configs = new Map<string, Promise<ModelConfig | undefined>>();

  constructor(config: ResolvedConfig, closed: AbortSignal, records: CommitRecords) {
    this.#config = config;
    this.#closed = closed;
    this.#records = records;
  }

  /** The commit `revision` points at now (one request, shared by the asks while it is in flight; none for a full sha). */
  commit(repo: string, revision: string, signal?: AbortSignal): Promise<string> {
    return untilAborted(
      shared(this.#commits, `${repo}\0${revision}`, () => resolveRevision(this.#context(), repo, revision), true),
      signal,
    );
  }

  /** The listing of `repo` at `commit`. */
  listing(repo: string, commit: string, signal?: AbortSignal): Promise<RepoFile[]> {
    return untilAborted(
      shared(this.#listings, `${repo}\0${commit}`, async () => {
        const kept = await this.#record(repo, commit);
        return kept?.files ?? this.#readListing(repo, commit);
      }),
      signal,
    );
  }

  /** The listing read from the Hub again, whatever is kept (a listing damaged in transit can parse): it replaces the kept one. */
  async reread(repo: string, commit: string, signal?: AbortSignal): Promise<RepoFile[]> {
    const reading = this.#readListing(repo, commit);
    this.#listings.set(`${repo}\0${commit}`, reading);
    reading.catch(() => this.#listings.delete(`${repo}\0${commit}`));
    return untilAborted(reading, signal);
  }

  /** What planning reads from config.json at `commit`; undefined when `listed` has none. */
  modelConfig(repo: string, commit: string, listed: readonly RepoFile[], signal?: AbortSignal): Promise<ModelConfig | undefined> {
    if (!listed.some((file) => file.path === 'config.json')) return Promise.resolve(undefined);
    return untilAborted(
      shared(this.#configs, `${repo}\0${commit}`, async () => {
        const kept = (await this.#record(repo, commit))?.config;
        if (isModelConfig(kept)) return kept;
        const config = await readModelConfig(this.#context(), repo, commit);
        await this.#save(repo, commit, { config });
        return config;
      }),
      signal,
    );
  }

  async #readListing(repo: string, commit: string): Promise<RepoFile[]> {
    const files = await listRepoFiles(this.#context(), repo, commit);
    await this.#save(repo, commit, { files });
    return files;
  }

  #context() {
    return hubContext(this.#config, this.#closed);
  }

  /** The kept record, if the store is open and has one; a store that fails is not asked (the Hub is). */
  async #record(repo: string, commit: string): Promise<CommitRecord | undefined> {
    return await this.#records()
      ?.then((store) => store.commitRecord(repo, commit))
      .catch(() => undefined);
  }

  async #save(repo: string, commit: string, facts: Pick<CommitRecord, 'files' | 'config'>): Promise<void> {
    const store = this.#records();
    if (store !== undefined) await store.then((opened) => opened.saveCommitRecord(repo, commit, facts)).catch(() => {});
  }
}

/** `map`'s promise for `key`, started by `start` if there is none; a failed one is dropped (asked again next time), a `transient` one when it settles. */
function shared<T>(map: Map<string, Promise<T>>, key: string, start: () => Promise<T>, transient = false): Promise<T> {
  let found = map.get(key);
  if (found === undefined) {
    found = start();
    map.set(key, found);
    const drop = (): void => {
      if (map.get(key) === found) map.delete(key);
    };
    found.then(transient ? drop : undefined, drop);
  }
  return found;
}
