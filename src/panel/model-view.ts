import { formatBytes } from '../util/index.ts';
import { h } from './dom.ts';
import type { FileDetails, ModelDetails } from './model-details.ts';

/** What a model's controls do. */
export interface ModelActions {
  verify(repo: string): void;
  setPinned(repo: string, pinned: boolean): void;
  exportModel(repo: string): void;
  copy(model: ModelDetails): void;
  remove(model: ModelDetails): void;
  /** The details element was opened or closed (kept across re-renders). */
  toggled(repo: string, open: boolean): void;
}

const date = (ms: number | undefined): string => (ms === undefined || ms <= 0 ? '—' : new Date(ms).toLocaleString());

/** One stored model: summary, actions, and each revision's files with variant, sharing and integrity. */
export function modelView(model: ModelDetails, open: boolean, actions: ModelActions): HTMLElement {
  const { repo } = model;
  const view = h(
    'details',
    { 'data-repo': repo, open },
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
          onclick: () => actions.verify(repo),
        },
        'Verify',
      ),
      h(
        'button',
        {
          'data-key': `pin ${repo}`,
          'aria-pressed': String(model.pinned),
          onclick: () => actions.setPinned(repo, !model.pinned),
        },
        model.pinned ? 'Unpin' : 'Pin',
      ),
      h('button', { 'data-key': `export ${repo}`, onclick: () => actions.exportModel(repo) }, 'Export'),
      h(
        'button',
        {
          'data-key': `copy ${repo}`,
          onclick: () => actions.copy(model),
        },
        'Copy JSON',
      ),
      h(
        'button',
        {
          'data-key': `delete ${repo}`,
          onclick: () => actions.remove(model),
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
                    {
                      class:
                        file.integrity === 'ok' || file.integrity === 'at-download' ? 'ok' : file.integrity === 'bad' ? 'bad' : 'muted',
                    },
                    integrityText(file),
                  ),
                ),
              ),
            ),
          ),
        ),
      ),
    ),
  );
  view.addEventListener('toggle', () => actions.toggled(repo, view.open));
  return view;
}

/** What a verify found, in words. */
export function verifiedText(repo: string, report: { checked: number; bad: unknown[] }): string {
  return report.bad.length === 0
    ? `Verified ${repo}: ${report.checked} blob(s), all intact.`
    : `Verified ${repo}: ${report.bad.length} of ${report.checked} blob(s) damaged or missing, dropped; download again to repair.`;
}

function integrityText(file: FileDetails): string {
  if (file.integrity === 'never') return 'not verified';
  if (file.integrity === 'at-download') return `verified at download ${date(file.verifiedAt)}`;
  return `${file.integrity === 'ok' ? 're-checked ok' : 'damaged'} ${date(file.verifiedAt)}`;
}
