import type { BlobInfo, CachedModel, CleanReport, HardwareProfile, ModelManager, StorageUsage } from '../index.ts';
import { describeError } from './describe-error.ts';
import { deviceView, sizesView } from './device-view.ts';
import { DownloadActivity } from './download-activity.ts';
import { h, nodes, type Child } from './dom.ts';
import { downloadsView } from './downloads-view.ts';
import { modelDetails } from './model-details.ts';
import { modelView } from './model-view.ts';
import { modelActions, storageActions, type ActionHost } from './panel-actions.ts';
import { PANEL_CSS } from './panel-styles.ts';
import { storageView } from './storage-view.ts';
import { watchManager } from './watch-manager.ts';

/**
 * `<hangar-panel>`: a framework-free cache inspector for a page that embeds Hangar. Give it the
 * page's manager (`panel.manager = mm`); it lists what the store holds (models, revisions, files,
 * variants, shared blobs, integrity), storage against quota, live downloads of this tab (with
 * pause/resume/cancel) and of other tabs, the device profile and session metrics, and offers
 * verify, delete, pin, clean (dry run first), export, import and copy-as-JSON. Attributes:
 * `mode="dock"` (a floating button that opens it; `open` shows it) or inline (default);
 * `theme="light" | "dark"` (default: the system's). Everything from the Hub or an archive is
 * rendered as text. It listens to the manager only while in the document: removed, it holds
 * no listener or timer and reads nothing; added again (or given another manager), it reloads.
 */
/** HTMLElement where there is a DOM; a stand-in elsewhere (Node, server-side rendering), where importing the panel must not throw. */
const ElementBase: typeof HTMLElement = globalThis.HTMLElement ?? class {};

export class HangarPanel extends ElementBase {
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
  readonly #activity = new DownloadActivity();
  readonly #host: ActionHost = {
    act: (action) => void this.#act(action),
    setPreview: (report) => (this.#preview = report),
    renderStorage: () => this.#renderStorage(),
    open: new Set<string>(),
  };
  #manager: ModelManager | undefined;
  /** Stops watching the manager; set while the panel is in the document with a manager (one at a time). */
  #unwatch: (() => void) | undefined;
  #models: CachedModel[] = [];
  #blobs: BlobInfo[] = [];
  #usage: StorageUsage | undefined;
  #profile: HardwareProfile | undefined;
  #preview: CleanReport | undefined;

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
    this.#stop();
    if (manager !== this.#manager) this.#forget();
    this.#manager = manager;
    if (this.isConnected) this.#start();
  }

  connectedCallback(): void {
    this.#start();
  }

  disconnectedCallback(): void {
    this.#stop();
  }

  /** Reloads everything from the store (nothing while the panel is out of the document). */
  async refresh(): Promise<void> {
    const manager = this.#manager;
    const watching = this.#unwatch;
    if (manager === undefined || watching === undefined) return;
    // A refresh that a stop (removal, another manager) overtook keeps nothing and reads no further.
    const current = (): boolean => this.#unwatch === watching;
    try {
      const [models, blobs, usage] = await Promise.all([manager.cache.list(), manager.cache.blobs(), manager.cache.usage()]);
      if (!current()) return;
      this.#models = models;
      this.#blobs = blobs;
      this.#usage = usage;
      const profile = this.#profile ?? (await manager.probe().catch(() => undefined));
      if (!current()) return;
      this.#profile = profile;
    } catch (error) {
      if (!current()) return;
      this.#say(`Could not read the store: ${describeError(error)}`, true);
    }
    this.#render();
  }

  #start(): void {
    const manager = this.#manager;
    if (manager === undefined || this.#unwatch !== undefined) return;
    this.#unwatch = watchManager(manager, this.#activity, {
      refresh: () => void this.refresh(),
      downloads: () => this.#renderDownloads(),
    });
    void this.refresh();
  }

  #stop(): void {
    this.#unwatch?.();
    this.#unwatch = undefined;
    // Other tabs' downloads are not followed while stopped: what was known of them may be stale.
    this.#activity.clear();
  }

  /** Drops what the panel showed of its previous manager. */
  #forget(): void {
    this.#models = [];
    this.#blobs = [];
    this.#usage = undefined;
    this.#profile = undefined;
    this.#preview = undefined;
    this.#host.open.clear();
    for (const section of Object.values(this.#sections)) section.replaceChildren();
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
      this.#say(describeError(error), true);
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
    this.#replace(this.#sections.storage, ...storageView(usage, manager.config.cache, this.#preview, storageActions(manager, this.#host)));
  }

  #renderDownloads(): void {
    const manager = this.#manager;
    if (manager === undefined) return;
    this.#replace(this.#sections.downloads, ...downloadsView(manager.downloads(), this.#activity.remote, this.#activity.rates));
  }

  #renderModels(): void {
    const manager = this.#manager;
    if (manager === undefined) return;
    const details = this.#models.map((model) => modelDetails(model, this.#blobs));
    const actions = modelActions(manager, this.#host);
    this.#replace(
      this.#sections.models,
      h('h3', {}, `Models (${details.length})`),
      details.length === 0 ? h('p', { class: 'muted' }, 'Nothing stored yet.') : null,
      ...details.map((model) => modelView(model, this.#host.open.has(model.repo), actions)),
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
