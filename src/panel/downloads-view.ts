import type { DownloadJob } from '../index.ts';
import { formatBytes, formatEta } from '../util/index.ts';
import { sparkline } from './charts.ts';
import { h, type Child } from './dom.ts';

/** A download seen through another tab's progress events (no controls: the job lives there). */
export interface RemoteDownload {
  repo: string;
  revision: string;
  loaded: number;
  total: number;
  state: string;
  at: number;
  bytesPerSecond: number;
}

/** The downloads section: this tab's jobs (pause, resume, cancel), other tabs' (read-only) and the rate over the last minute. */
export function downloadsView(jobs: DownloadJob[], others: RemoteDownload[], rates: number[]): Child[] {
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
  const local = jobs.map((job) => {
    const p = job.progress;
    const key = `${job.repo}@${job.revision}`;
    return row(`${job.repo} @ ${job.revision}`, p.loaded, p.total, p.state, p.bytesPerSecond, p.etaSeconds, [
      h('button', { 'data-key': `pause ${key}`, onclick: () => job.pause(), disabled: p.state === 'paused' }, 'Pause'),
      h('button', { 'data-key': `resume ${key}`, onclick: () => job.resume(), disabled: p.state !== 'paused' }, 'Resume'),
      h('button', { 'data-key': `cancel ${key}`, onclick: () => job.cancel() }, 'Cancel'),
    ]);
  });
  const remote = others.map((d) =>
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
  return [
    h('h3', {}, 'Downloads'),
    rows.length === 0
      ? h('p', { class: 'muted' }, 'No download running.')
      : h('div', { class: 'table' }, h('table', { 'aria-label': 'Downloads' }, h('tbody', {}, ...rows))),
    h(
      'div',
      { class: 'row' },
      sparkline(rates, 'Download rate, last minute'),
      h('span', { class: 'muted' }, `rate now ${formatBytes(rates.at(-1) ?? 0)}/s`),
    ),
  ];
}
