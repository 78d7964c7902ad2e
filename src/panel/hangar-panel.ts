import type {
  BlobInfo,
  CachedModel,
  CleanReport,
  DownloadJob,
  HangarError,
  HardwareProfile,
  JobState,
  ModelManager,
  StorageUsage,
  StoreEvent,
} from '../index.ts';
import { formatBytes } from '../util/index.ts';
import { deviceView, sizesView } from './device-view.ts';
import { h, nodes, type Child } from './dom.ts';
import { downloadsView, type RemoteDownload } from './downloads-view.ts';
import { modelDetails } from './model-details.ts';
import { modelView, verifiedText, type ModelActions } from './model-view.ts';
import { PANEL_CSS } from './panel-styles.ts';
import { storageView } from './storage-view.ts';

const RATE_SAMPLES = 60;
/** Job states after which another tab's download leaves the list. */
const ENDED = new Set<string>(['done', 'error', 'cancelled'] satisfies JobState[]);

/** Words for an error, its code kept (the panel is for developers). */
function describe(error: unknown): string {
  const code = (error as HangarError | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return code === undefined ? message : `${message} (${code})`;
}

/**
 * `<hangar-panel>`: a framework-free cache inspector for a page that embeds Hangar. Give it the
 * page's manager (`panel.manager = mm`); it lists what the store holds (models, revisions, files,
 * variants, shared blobs, integrity), storage against quota, live downloads of this tab (with
 * pause/resume/cancel) and of other tabs, the device profile and session metrics, and offers
 * verify, delete, pin, clean (dry run first), export, import and copy-as-JSON. Attributes:
 * `mode="dock"` (a floating button that opens it; `open` shows it) or inline (default);
 * `theme="light" | "dark"` (default: the system's). Everything from the Hub or an archive is
 * rendered as text.
 */
export class HangarPanel extends HTMLElement {
  readonly #root = this.attachShadow({ mode: 'open' });
  readonly #body = h('div', { class: 'body' });
  readonly #message = h('p', { class: 'msg', role: 'status', 'aria-live': 'polite' });
  readonly #sections = {
    storage: h('section', { 'aria-label': 'Storage' }),
    downloads: h('section', { 'aria-label': 'Downloads' }),
    models: h('section', { 'aria-label': 'Models' }),
    sizes: h('section', { 'aria-label': 'Cache size by model' }),
    device: h('section', { 'aria-label': 'Device and sessions' }),
  };
  #manager: ModelManager | undefined;
  #unsubscribe: Array<() => void> = [];
  #models: CachedModel[] = [];
  #blobs: BlobInfo[] = [];
  #usage: StorageUsage | undefined;
  #profile: HardwareProfile | undefined;
  #preview: CleanReport | undefined;
  #remote = new Map<string, RemoteDownload>();
  #rates: number[] = [];
  #open = new Set<string>();
  #timer: ReturnType<typeof setInterval> | undefined;
  #refreshing: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    const toggle = h('button', { class: 'toggle', 'aria-expanded': 'false', onclick: () => this.toggleAttribute('open') }, 'Hangar');
    const close = h('button', { class: 'close', 'aria-label': 'Close the Hangar panel', onclick: () => this.removeAttribute('open') }, '×');
    const refresh = h('button', { 'data-key': 'refresh', onclick: () => void this.refresh() }, 'Refresh');
    this.#root.append(
      h('style', {}, PANEL_CSS),
      toggle,
      h(
        'div',
        { class: 'panel', role: 'region', 'aria-label': 'Hangar cache' },
        h('header', {}, h('h2', {}, 'Hangar cache'), refresh, close),
        this.#message,
        this.#body,
      ),
    );
    this.#body.append(...Object.values(this.#sections));
  }

  static get observedAttributes(): string[] {
    return ['open'];
  }

  attributeChangedCallback(): void {
    this.#root.querySelector('.toggle')?.setAttribute('aria-expanded', String(this.hasAttribute('open')));
  }

  /** The manager whose store the panel shows. */
  get manager(): ModelManager | undefined {
    return this.#manager;
  }

  set manager(manager: ModelManager | undefined) {
    this.#disconnect();
    this.#manager = manager;
    if (this.isConnected) this.#connect();
  }

  connectedCallback(): void {
    this.#connect();
  }

  disconnectedCallback(): void {
    this.#disconnect();
  }

  /** Reloads everything from the store. */
  async refresh(): Promise<void> {
    const manager = this.#manager;
    if (manager === undefined) return;
    try {
      const [models, blobs, usage] = await Promise.all([manager.cache.list(), manager.cache.blobs(), manager.cache.usage()]);
      this.#models = models;
      this.#blobs = blobs;
      this.#usage = usage;
      this.#profile ??= await manager.probe().catch(() => undefined);
    } catch (error) {
      this.#say(`Could not read the store: ${describe(error)}`, true);
    }
    this.#render();
  }

  #connect(): void {
    const manager = this.#manager;
    if (manager === undefined || this.#unsubscribe.length > 0) return;
    this.#unsubscribe.push(
      manager.on('change', (event) => this.#onChange(event)),
      manager.on('download', (job) => this.#watch(job)),
    );
    for (const job of manager.downloads()) this.#watch(job);
    this.#timer = setInterval(() => this.#sampleRate(), 1000);
    void this.refresh();
  }

  #disconnect(): void {
    for (const off of this.#unsubscribe) off();
    this.#unsubscribe = [];
    clearInterval(this.#timer);
  }

  #watch(job: DownloadJob): void {
    const off = job.on('progress', () => this.#renderDownloads());
    void job.done.catch(() => {}).finally(() => (off(), this.#renderDownloads()));
    this.#renderDownloads();
  }

  #onChange(event: StoreEvent): void {
    if (event.type === 'progress') {
      if (event.local) return;
      const key = `${event.tab} ${event.repo}@${event.revision}`;
      const previous = this.#remote.get(key);
      const seconds = previous === undefined ? 0 : (event.at - previous.at) / 1000;
      const bytesPerSecond = previous !== undefined && seconds > 0 ? Math.max(0, (event.loaded - previous.loaded) / seconds) : 0;
      this.#remote.set(key, {
        repo: event.repo,
        revision: event.revision,
        loaded: event.loaded,
        total: event.total,
        state: event.state,
        at: event.at,
        bytesPerSecond,
      });
      if (ENDED.has(event.state)) setTimeout(() => (this.#remote.delete(key), this.#renderDownloads()), 3000);
      this.#renderDownloads();
      return;
    }
    // Coalesce bursts (a download adds one event per file).
    clearTimeout(this.#refreshing);
    this.#refreshing = setTimeout(() => void this.refresh(), 100);
  }

  #sampleRate(): void {
    const local = this.#manager?.downloads().reduce((sum, job) => sum + job.progress.bytesPerSecond, 0) ?? 0;
    const remote = [...this.#remote.values()].reduce((sum, download) => sum + (ENDED.has(download.state) ? 0 : download.bytesPerSecond), 0);
    this.#rates.push(local + remote);
    if (this.#rates.length > RATE_SAMPLES) this.#rates.shift();
    if (local + remote > 0 || this.#rates.some((rate) => rate > 0)) this.#renderDownloads();
  }

  #say(text: string, error = false): void {
    this.#message.textContent = text;
    this.#message.classList.toggle('error', error);
    this.#message.setAttribute('role', error ? 'alert' : 'status');
  }

  /** Runs a panel action: its outcome (or error) in the message line, then a refresh. */
  async #act(action: () => Promise<string | undefined>): Promise<void> {
    try {
      const outcome = await action();
      if (outcome !== undefined) this.#say(outcome);
    } catch (error) {
      this.#say(describe(error), true);
    }
    await this.refresh();
  }

  /** Re-renders a section, keeping keyboard focus on the control with the same data-key. */
  #replace(section: HTMLElement, ...children: Child[]): void {
    const focused = (this.#root.activeElement as HTMLElement | null)?.dataset['key'];
    section.replaceChildren(...nodes(children));
    if (focused !== undefined) this.#root.querySelector<HTMLElement>(`[data-key="${CSS.escape(focused)}"]`)?.focus();
  }

  #render(): void {
    this.#renderStorage();
    this.#renderDownloads();
    this.#renderModels();
    this.#renderSizes();
    this.#renderDevice();
  }

  #renderStorage(): void {
    const manager = this.#manager;
    const usage = this.#usage;
    if (manager === undefined || usage === undefined) return;
    this.#replace(
      this.#sections.storage,
      ...storageView(usage, manager.config.cache, this.#preview, {
        previewClean: () =>
          void this.#act(async () => {
            this.#preview = await manager.cache.clean({ dryRun: true });
            return 'Clean preview: nothing was changed.';
          }),
        clean: () => {
          if (!confirm('Clean the cache now? The revisions listed will be deleted.')) return;
          this.#preview = undefined;
          void this.#act(async () => {
            const report = await manager.cache.clean();
            return `Cleaned: ${report.remove.length} revision(s), ${report.blobs} blob(s), ${formatBytes(report.bytesFreed)} freed.`;
          });
        },
        dismissPreview: () => ((this.#preview = undefined), this.#renderStorage()),
        importArchive: (file) =>
          void this.#act(async () => {
            const model = await manager.cache.import(file);
            return `Imported ${model.repo} at ${model.commit.slice(0, 10)}: ${model.files.length} files, every hash checked.`;
          }),
      }),
    );
  }

  #renderDownloads(): void {
    const manager = this.#manager;
    if (manager === undefined) return;
    this.#replace(this.#sections.downloads, ...downloadsView(manager.downloads(), [...this.#remote.values()], this.#rates));
  }

  #renderModels(): void {
    const manager = this.#manager;
    if (manager === undefined) return;
    const details = this.#models.map((model) => modelDetails(model, this.#blobs));
    const actions: ModelActions = {
      verify: (repo) => void this.#act(async () => verifiedText(repo, await manager.cache.verify(repo))),
      setPinned: (repo, pinned) =>
        void this.#act(async () =>
          pinned
            ? (await manager.cache.pin(repo), `Pinned ${repo}: clean() keeps it.`)
            : (await manager.cache.unpin(repo), `Unpinned ${repo}.`),
        ),
      exportModel: (repo) =>
        void this.#act(async () => {
          const archive = await manager.cache.export(repo);
          const link = h('a', { href: URL.createObjectURL(archive), download: archive.name });
          link.click();
          setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
          return `Exported ${repo} as ${archive.name} (${formatBytes(archive.size)}).`;
        }),
      copy: (model) =>
        void this.#act(
          async () => (await navigator.clipboard.writeText(JSON.stringify(model, null, 2)), `Copied the details of ${model.repo} as JSON.`),
        ),
      remove: (model) => {
        if (!confirm(`Delete ${model.repo} (${formatBytes(model.size)}) from this browser?`)) return;
        void this.#act(async () => {
          const report = await manager.cache.delete(model.repo);
          return `Deleted ${model.repo}: ${formatBytes(report.bytesFreed)} freed.`;
        });
      },
      toggled: (repo, open) => (open ? this.#open.add(repo) : this.#open.delete(repo)),
    };
    this.#replace(
      this.#sections.models,
      h('h3', {}, `Models (${details.length})`),
      details.length === 0 ? h('p', { class: 'muted' }, 'Nothing stored yet.') : null,
      ...details.map((model) => modelView(model, this.#open.has(model.repo), actions)),
    );
  }

  #renderSizes(): void {
    this.#replace(this.#sections.sizes, ...sizesView(this.#models));
  }

  #renderDevice(): void {
    const manager = this.#manager;
    if (manager === undefined) return;
    this.#replace(this.#sections.device, ...deviceView(this.#profile, manager.metrics()));
  }
}
