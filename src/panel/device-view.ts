import type { CachedModel, HardwareProfile, MetricsSnapshot } from '../index.ts';
import { formatBytes } from '../util/index.ts';
import { bars } from './charts.ts';
import { h, type Child } from './dom.ts';

/** The size-by-model chart. */
export function sizesView(models: CachedModel[]): Child[] {
  return [
    h('h3', {}, 'Size by model'),
    bars(
      models.map((model) => ({ label: model.repo, value: model.size, text: formatBytes(model.size) })),
      'Cache size by model',
    ),
  ];
}

/** The device profile and recommendation, and session timings per backend. */
export function deviceView(profile: HardwareProfile | undefined, metrics: MetricsSnapshot): Child[] {
  const gpu = profile?.webgpu;
  const ms = (value: number | undefined) => (value === undefined ? '—' : `${value.toFixed(1)} ms`);
  return [
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
            h('thead', {}, h('tr', {}, ...['Backend', 'Sessions', 'Create', 'First run', 'Steady run'].map((title) => h('th', {}, title)))),
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
  ];
}
