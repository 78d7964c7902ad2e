import { h, svg } from './dom.ts';

/** A line of `values` (oldest first) scaled to its maximum, as a small SVG; `label` is its accessible name. */
export function sparkline(values: number[], label: string, width = 240, height = 40): SVGElement {
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? width / (values.length - 1) : width;
  const points = values.map((value, index) => `${(index * step).toFixed(1)},${(height - 2 - (value / max) * (height - 4)).toFixed(1)}`);
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': label, class: 'spark' });
  chart.append(svg('line', { x1: 0, y1: height - 1, x2: width, y2: height - 1, class: 'base' }));
  chart.append(svg('polyline', { points: points.join(' ') || `0,${height - 2} ${width},${height - 2}`, fill: 'none', class: 'line' }));
  return chart;
}

/** Horizontal bars, one per entry, widths relative to the largest. */
export function bars(entries: Array<{ label: string; value: number; text: string }>, label: string): HTMLElement {
  const max = Math.max(1, ...entries.map((entry) => entry.value));
  return h(
    'ul',
    { class: 'bars', 'aria-label': label },
    ...entries.map((entry) =>
      h(
        'li',
        {},
        h('span', { class: 'bar-label' }, entry.label),
        h('span', { class: 'bar', style: `width: ${((100 * entry.value) / max).toFixed(1)}%` }),
        h('span', { class: 'bar-text' }, entry.text),
      ),
    ),
  );
}
