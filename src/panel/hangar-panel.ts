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
import { formatBytes, formatEta } from '../util/format.ts';
import { bars, sparkline } from './charts.ts';
import { h, nodes, type Child } from './dom.ts';
import { modelDetails, type ModelDetails } from './model-details.ts';
import { PANEL_CSS } from './panel-styles.ts';

/** A download seen through another tab's progress events (no controls: the job lives there). */
interface RemoteDownload {
  repo: string;
  revision: string;
  loaded: number;
  total: number;
  state: string;
  at: number;
  bytesPerSecond: number;
}

const RATE_SAMPLES = 60;
/** Job states after which another tab's download leaves the list. */
const ENDED = new Set<string>(['done', 'error', 'cancelled'] satisfies JobState[]);

const date = (ms: number | undefined): string => (ms === undefined || ms <= 0 ? '—' : new Date(ms).toLocaleString());
const duration = (ms: number): string =>
  ms === Infinity ? 'forever' : ms >= 86_400_000 ? `${Math.round(ms / 86_400_000)} days` : `${Math.round(ms / 60_000)} min`;

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
    const { maxSize, retention } = manager.config.cache;
    const quota = usage.quota;
    const share = quota === undefined || quota === 0 ? 0 : Math.min(1, usage.cacheBytes / quota);
    const fileInput = h('input', { type: 'file', accept: '.tar,application/x-tar', hidden: true, 'aria-label': 'Archive to import' });
    fileInput.addEventListener('change', () => {
      const file = fileInput.files?.[0];
      if (file !== undefined)
        void this.#act(async () => {
          const model = await manager.cache.import(file);
          return `Imported ${model.repo} at ${model.commit.slice(0, 10)}: ${model.files.length} files, every hash checked.`;
        });
    });
    const preview = this.#preview;
    this.#replace(
      this.#sections.storage,
      h('h3', {}, 'Storage'),
      h(
        'div',
        {
          class: 'meter',
          role: 'meter',
          'aria-label': 'Cache share of the quota',
          'aria-valuemin': 0,
          'aria-valuemax': 100,
          'aria-valuenow': Math.round(share * 100),
        },
        h('span', { style: `width: ${(share * 100).toFixed(1)}%` }),
      ),
      h(
        'p',
        { class: 'usage' },
        `Cache ${formatBytes(usage.cacheBytes)} of ${quota === undefined ? 'an unknown quota' : formatBytes(quota)} (origin uses ${usage.used === undefined ? '?' : formatBytes(usage.used)}) · ${usage.backend} · `,
        h('span', { class: usage.persisted === true ? 'ok' : 'muted' }, usage.persisted === true ? 'persisted' : 'not persisted'),
        ` · max ${maxSize === Infinity ? 'unlimited' : formatBytes(maxSize)} · retention ${duration(retention)}`,
      ),
      h(
        'div',
        { class: 'row' },
        h('button', { 'data-key': 'clean-preview', onclick: () => void this.#previewClean() }, 'Clean: preview'),
        h('button', { 'data-key': 'import', onclick: () => fileInput.click() }, 'Import archive…'),
        fileInput,
      ),
      preview === undefined
        ? null
        : h(
            'div',
            { class: 'preview', 'aria-label': 'Clean preview' },
            h(
              'p',
              {},
              preview.remove.length === 0 && preview.orphanBlobs.length === 0
                ? 'Nothing to clean.'
                : `Would remove ${preview.remove.length} revision(s) and ${preview.orphanBlobs.length} unused blob(s), freeing ${formatBytes(preview.bytesFreed)} (${formatBytes(preview.sizeBefore)} → ${formatBytes(preview.sizeAfter)}).`,
            ),
            h('ul', {}, ...preview.remove.map((entry) => h('li', {}, `${entry.repo} @ ${entry.commit.slice(0, 10)} (${entry.reason})`))),
            h(
              'div',
              { class: 'row' },
              h(
                'button',
                {
                  'data-key': 'clean-now',
                  onclick: () => void this.#clean(),
                  disabled: preview.remove.length === 0 && preview.orphanBlobs.length === 0,
                },
                'Clean now',
              ),
              h('button', { 'data-key': 'clean-dismiss', onclick: () => ((this.#preview = undefined), this.#renderStorage()) }, 'Dismiss'),
            ),
          ),
    );
  }

  async #previewClean(): Promise<void> {
    const manager = this.#manager;
    if (manager === undefined) return;
    await this.#act(async () => {
      this.#preview = await manager.cache.clean({ dryRun: true });
      return 'Clean preview: nothing was changed.';
    });
  }

  async #clean(): Promise<void> {
    const manager = this.#manager;
    if (manager === undefined || !confirm('Clean the cache now? The revisions listed will be deleted.')) return;
    this.#preview = undefined;
    await this.#act(async () => {
      const report = await manager.cache.clean();
      return `Cleaned: ${report.remove.length} revision(s), ${report.blobs} blob(s), ${formatBytes(report.bytesFreed)} freed.`;
    });
  }

  #renderDownloads(): void {
    const manager = this.#manager;
    if (manager === undefined) return;
    const row = (label: string, loaded: number, total: number, state: string, rate: number, eta: number | null, controls: Child[]) =>
      h(
        'tr',
        {},
        h('td', { class: 'path' }, label),
        h('td', {}, h('progress', { max: Math.max(1, total), value: loaded, 'aria-label': `${label} progress` })),
        h('td', { class: 'num' }, `${formatBytes(loaded)} / ${formatBytes(total)}`),
        h('td', { class: 'num' }, `${formatBytes(rate)}/s`),
        h('td', { class: 'num' }, formatEta(eta)),
        h('td', {}, state),
        h('td', {}, h('div', { class: 'row' }, ...controls)),
      );
    const local = manager.downloads().map((job) => {
      const p = job.progress;
      const key = `${job.repo}@${job.revision}`;
      return row(`${job.repo} @ ${job.revision}`, p.loaded, p.total, p.state, p.bytesPerSecond, p.etaSeconds, [
        h('button', { 'data-key': `pause ${key}`, onclick: () => job.pause(), disabled: p.state === 'paused' }, 'Pause'),
        h('button', { 'data-key': `resume ${key}`, onclick: () => job.resume(), disabled: p.state !== 'paused' }, 'Resume'),
        h('button', { 'data-key': `cancel ${key}`, onclick: () => job.cancel() }, 'Cancel'),
      ]);
    });
    const remote = [...this.#remote.values()].map((d) =>
      row(
        `${d.repo} @ ${d.revision}`,
        d.loaded,
        d.total,
        `${d.state} (other tab)`,
        d.bytesPerSecond,
        d.bytesPerSecond > 0 ? (d.total - d.loaded) / d.bytesPerSecond : null,
        [],
      ),
    );
    const rows = [...local, ...remote];
    this.#replace(
      this.#sections.downloads,
      h('h3', {}, 'Downloads'),
      rows.length === 0
        ? h('p', { class: 'muted' }, 'No download running.')
        : h('div', { class: 'table' }, h('table', { 'aria-label': 'Downloads' }, h('tbody', {}, ...rows))),
      h(
        'div',
        { class: 'row' },
        sparkline(this.#rates, 'Download rate, last minute'),
        h('span', { class: 'muted' }, `rate now ${formatBytes(this.#rates.at(-1) ?? 0)}/s`),
      ),
    );
  }

  #renderModels(): void {
    const manager = this.#manager;
    if (manager === undefined) return;
    const details = this.#models.map((model) => modelDetails(model, this.#blobs));
    this.#replace(
      this.#sections.models,
      h('h3', {}, `Models (${details.length})`),
      details.length === 0 ? h('p', { class: 'muted' }, 'Nothing stored yet.') : null,
      ...details.map((model) => this.#modelView(manager, model)),
    );
  }

  #modelView(manager: ModelManager, model: ModelDetails): HTMLElement {
    const { repo } = model;
    const view = h(
      'details',
      { 'data-repo': repo, open: this.#open.has(repo) },
      h(
        'summary',
        { 'data-key': `open ${repo}` },
        h('span', { class: 'repo' }, repo),
        h('span', {}, formatBytes(model.size)),
        h('span', { class: 'muted' }, `used ${date(model.lastUsed)}`),
        model.pinned ? h('span', { class: 'badge' }, 'pinned') : null,
      ),
      h(
        'div',
        { class: 'row' },
        h(
          'button',
          {
            'data-key': `verify ${repo}`,
            onclick: () => void this.#act(async () => this.#verified(repo, await manager.cache.verify(repo))),
          },
          'Verify',
        ),
        h(
          'button',
          {
            'data-key': `pin ${repo}`,
            'aria-pressed': String(model.pinned),
            onclick: () =>
              void this.#act(async () =>
                model.pinned
                  ? (await manager.cache.unpin(repo), `Unpinned ${repo}.`)
                  : (await manager.cache.pin(repo), `Pinned ${repo}: clean() keeps it.`),
              ),
          },
          model.pinned ? 'Unpin' : 'Pin',
        ),
        h('button', { 'data-key': `export ${repo}`, onclick: () => void this.#act(() => this.#export(manager, repo)) }, 'Export'),
        h(
          'button',
          {
            'data-key': `copy ${repo}`,
            onclick: () =>
              void this.#act(
                async () => (await navigator.clipboard.writeText(JSON.stringify(model, null, 2)), `Copied the details of ${repo} as JSON.`),
              ),
          },
          'Copy JSON',
        ),
        h(
          'button',
          {
            'data-key': `delete ${repo}`,
            onclick: () => {
              if (confirm(`Delete ${repo} (${formatBytes(model.size)}) from this browser?`))
                void this.#act(async () => {
                  const report = await manager.cache.delete(repo);
                  return `Deleted ${repo}: ${formatBytes(report.bytesFreed)} freed.`;
                });
            },
          },
          'Delete…',
        ),
      ),
      ...model.revisions.map((revision) =>
        h(
          'div',
          { class: 'revision' },
          h(
            'p',
            {},
            h('code', {}, revision.commit.slice(0, 12)),
            ' ',
            revision.refs.length > 0 ? revision.refs.join(', ') : '(detached)',
            ` · ${formatBytes(revision.size)}`,
            revision.pinned ? ' · pinned' : '',
          ),
          h(
            'div',
            { class: 'table' },
            h(
              'table',
              { 'aria-label': `Files of ${repo} at ${revision.commit.slice(0, 12)}` },
              h('thead', {}, h('tr', {}, ...['File', 'Size', 'Hash', 'Variant', 'Shared', 'Integrity'].map((title) => h('th', {}, title)))),
              h(
                'tbody',
                {},
                ...revision.files.map((file) =>
                  h(
                    'tr',
                    {},
                    h('td', { class: 'path' }, file.path),
                    h('td', { class: 'num' }, formatBytes(file.size)),
                    h('td', { title: file.hash }, h('code', {}, file.hash.slice(0, file.hash.indexOf(':') + 13))),
                    h('td', {}, file.variant ?? ''),
                    h('td', {}, file.sharedWith > 0 ? `with ${file.sharedWith}` : ''),
                    h(
                      'td',
                      { class: file.integrity === 'ok' ? 'ok' : file.integrity === 'bad' ? 'bad' : 'muted' },
                      file.integrity === 'never' ? 'not verified' : `${file.integrity} ${date(file.verifiedAt)}`,
                    ),
                  ),
                ),
              ),
            ),
          ),
        ),
      ),
    );
    view.addEventListener('toggle', () => (view.open ? this.#open.add(repo) : this.#open.delete(repo)));
    return view;
  }

  #verified(repo: string, report: { checked: number; bad: unknown[] }): string {
    return report.bad.length === 0
      ? `Verified ${repo}: ${report.checked} blob(s), all intact.`
      : `Verified ${repo}: ${report.bad.length} of ${report.checked} blob(s) damaged or missing, dropped; download again to repair.`;
  }

  async #export(manager: ModelManager, repo: string): Promise<string> {
    const archive = await manager.cache.export(repo);
    const link = h('a', { href: URL.createObjectURL(archive), download: archive.name });
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    return `Exported ${repo} as ${archive.name} (${formatBytes(archive.size)}).`;
  }

  #renderSizes(): void {
    this.#replace(
      this.#sections.sizes,
      h('h3', {}, 'Size by model'),
      bars(
        this.#models.map((model) => ({ label: model.repo, value: model.size, text: formatBytes(model.size) })),
        'Cache size by model',
      ),
    );
  }

  #renderDevice(): void {
    const manager = this.#manager;
    const profile = this.#profile;
    if (manager === undefined) return;
    const metrics = manager.metrics();
    const gpu = profile?.webgpu;
    const ms = (value: number | undefined) => (value === undefined ? '—' : `${value.toFixed(1)} ms`);
    this.#replace(
      this.#sections.device,
      h('h3', {}, 'Device and sessions'),
      profile === undefined
        ? h('p', { class: 'muted' }, 'Probing…')
        : h(
            'p',
            {},
            `${gpu === null || gpu === undefined ? 'No WebGPU' : `WebGPU ${gpu.vendor} ${gpu.architecture}${gpu.software ? ' (software)' : ''}${gpu.shaderF16 ? ', f16' : ''}`}; ` +
              `WASM${profile.wasm.simd ? ' SIMD' : ''}${profile.wasm.threads ? ' threads' : ''}; ${profile.hardwareConcurrency} cores` +
              `${profile.deviceMemory === undefined ? '' : `, ${profile.deviceMemory} GB`}. Recommended: ${profile.recommendation.backend}, ${profile.recommendation.dtypes.slice(0, 3).join(' > ')}, ${profile.recommendation.threads} thread(s).`,
          ),
      h(
        'p',
        {},
        `Downloads: ${formatBytes(metrics.downloads.bytesFetched)} fetched, ${formatBytes(metrics.downloads.bytesFromCache)} from the cache.`,
      ),
      Object.keys(metrics.backends).length === 0
        ? h('p', { class: 'muted' }, 'No session opened by this manager yet.')
        : h(
            'div',
            { class: 'table' },
            h(
              'table',
              { 'aria-label': 'Sessions per backend' },
              h(
                'thead',
                {},
                h('tr', {}, ...['Backend', 'Sessions', 'Create', 'First run', 'Steady run'].map((title) => h('th', {}, title))),
              ),
              h(
                'tbody',
                {},
                ...Object.entries(metrics.backends).map(([backend, m]) =>
                  h(
                    'tr',
                    {},
                    h('td', {}, backend),
                    h('td', { class: 'num' }, m.sessions),
                    h('td', { class: 'num' }, ms(m.createMs.last)),
                    h('td', { class: 'num' }, ms(m.firstRunMs.last)),
                    h('td', { class: 'num' }, ms(m.steadyRunMs.median)),
                  ),
                ),
              ),
            ),
          ),
    );
  }
}
