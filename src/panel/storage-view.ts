import type { CleanReport, ResolvedConfig, StorageUsage } from '../index.ts';
import { formatBytes } from '../util/index.ts';
import { h, type Child } from './dom.ts';

/** What the storage section's controls do. */
export interface StorageActions {
  previewClean(): void;
  clean(): void;
  dismissPreview(): void;
  importArchive(file: File): void;
}

const duration = (ms: number): string =>
  ms === Infinity ? 'forever' : ms >= 86_400_000 ? `${Math.round(ms / 86_400_000)} days` : `${Math.round(ms / 60_000)} min`;

/** The storage section: usage against the quota, the cache's limits, clean (with its preview) and import. */
export function storageView(
  usage: StorageUsage,
  cache: ResolvedConfig['cache'],
  preview: CleanReport | undefined,
  actions: StorageActions,
): Child[] {
  const { maxSize, retention } = cache;
  const quota = usage.quota;
  const share = quota === undefined || quota === 0 ? 0 : Math.min(1, usage.cacheBytes / quota);
  const fileInput = h('input', { type: 'file', accept: '.tar,application/x-tar', hidden: true, 'aria-label': 'Archive to import' });
  fileInput.addEventListener('change', () => {
    const file = fileInput.files?.[0];
    if (file !== undefined) actions.importArchive(file);
  });
  return [
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
      h('button', { 'data-key': 'clean-preview', onclick: () => actions.previewClean() }, 'Clean: preview'),
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
                onclick: () => actions.clean(),
                disabled: preview.remove.length === 0 && preview.orphanBlobs.length === 0,
              },
              'Clean now',
            ),
            h('button', { 'data-key': 'clean-dismiss', onclick: () => actions.dismissPreview() }, 'Dismiss'),
          ),
        ),
  ];
}
