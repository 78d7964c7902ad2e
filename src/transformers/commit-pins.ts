/** Where `CommitPins` learns the commit a revision names. */
export interface PinSources {
  /** The commit `revision` points at in the store (no network), or undefined. */
  localCommit(repo: string, revision: string): Promise<string | undefined>;
  /** The commit `revision` points at on the Hub now. */
  resolveCommit(repo: string, revision: string, signal?: AbortSignal): Promise<string>;
}

/**
 * The one commit each repo@revision maps to while it is used: on first use the commit the store
 * has for it (offline-first), else the Hub's, asked once (first uses at the same time share the
 * ask; a failed ask is dropped and asked again next time). It changes only through `set`.
 */
export class CommitPins {
  readonly #sources: PinSources;
  readonly #pins = new Map<string, Promise<string>>();

  constructor(sources: PinSources) {
    this.#sources = sources;
  }

  /** The pinned commit of `repo@revision`, pinned now if it was not. */
  of(repo: string, revision: string): Promise<string> {
    const key = pinKey(repo, revision);
    let pin = this.#pins.get(key);
    if (pin === undefined) {
      const pinning = (async () =>
        (await this.#sources.localCommit(repo, revision)) ?? (await this.#sources.resolveCommit(repo, revision)))();
      pin = pinning;
      this.#pins.set(key, pinning);
      pinning.catch(() => {
        if (this.#pins.get(key) === pinning) this.#pins.delete(key);
      });
    }
    return pin;
  }

  /** The pinned commit of `repo@revision`, or else the one the store has for it, without pinning or asking the Hub. */
  async current(repo: string, revision: string): Promise<string | undefined> {
    const pinned = await this.#pins.get(pinKey(repo, revision))?.catch(() => undefined);
    return pinned ?? (await this.#sources.localCommit(repo, revision));
  }

  /** Pins `repo@revision` to `commit` from now on. */
  set(repo: string, revision: string, commit: string): void {
    this.#pins.set(pinKey(repo, revision), Promise.resolve(commit));
  }
}

function pinKey(repo: string, revision: string): string {
  return `${repo}\0${revision}`;
}
