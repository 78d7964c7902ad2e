import { listModels, type CachedModel } from './list-models.ts';
import type { MetaDb } from './meta-db.ts';

/**
 * `list()`'s models kept between calls: each repo's model (undefined: nothing stored) and the stamp
 * it was built at. A call reads every stamp and rebuilds only the repos whose stamp changed (a write
 * in any tab); the models are frozen, shared by the calls that get them.
 */
export class KeptListing {
  #models: Map<string, { stamp: string | undefined; model: CachedModel | undefined }> | undefined;
  /** The connection the kept models were read on: a new one (the database was deleted and made again) starts over. */
  #db: MetaDb | undefined;

  async read(db: MetaDb): Promise<CachedModel[]> {
    if (db !== this.#db) this.#models = undefined;
    this.#db = db;
    const tx = db.transaction(['snapshots', 'refs', 'stamps']);
    const stampStore = tx.objectStore('stamps');
    const [repos, tokens] = await Promise.all([stampStore.getAllKeys(), stampStore.getAll()]);
    const stamps = new Map(repos.map((repo, index) => [repo, tokens[index]]));
    let listing = this.#models;
    if (listing === undefined) {
      // First call: every repo. A repo without a stamp (stored before stamps existed) keeps undefined until its next write.
      const [snapshots, refs] = await Promise.all([tx.objectStore('snapshots').getAll(), tx.objectStore('refs').getAll()]);
      listing = new Map(
        listModels(snapshots, refs).map((model) => [model.repo, { stamp: stamps.get(model.repo), model: deepFreeze(model) }]),
      );
      this.#models = listing;
    } else {
      for (const [repo, stamp] of stamps) {
        if (listing.get(repo)?.stamp === stamp) continue;
        const [snapshots, refs] = await Promise.all([
          tx.objectStore('snapshots').index('repo').getAll(repo),
          tx.objectStore('refs').index('repo').getAll(repo),
        ]);
        const [model] = listModels(snapshots, refs);
        listing.set(repo, { stamp, model: model === undefined ? undefined : deepFreeze(model) });
      }
    }
    const models: CachedModel[] = [];
    for (const { model } of listing.values()) if (model !== undefined) models.push(model);
    return models.sort((a, b) => (a.repo < b.repo ? -1 : a.repo > b.repo ? 1 : 0));
  }
}

/** Freezes `value` and everything it holds (a listing handed to several callers). */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
