import { h, svg, uid } from './dom.js';
import { numberFr } from './format.js';

/** Bar charts drawn as inline SVG: labelled for screen readers, values written on the bars, data also as a table. */
export interface Series {
  name: string;
  /** CSS class of the legend swatch (s1, s2, s3) and the SVG fill. */
  swatch: 's1' | 's2' | 's3';
}
export interface Group {
  label: string;
  values: number[];
}

const FILLS: Record<Series['swatch'], string> = { s1: '#000091', s2: '#6a6af4', s3: '#18753c' };
const INK = '#161616';

function legend(series: readonly Series[]) {
  return h(
    'ul',
    { class: 'chart-legend', 'aria-hidden': 'true' },
    series.map((s) => h('li', null, h('span', { class: `swatch ${s.swatch}` }), s.name)),
  );
}

function dataTable(caption: string, series: readonly Series[], groups: readonly Group[], firstHeader: string) {
  return h(
    'details',
    null,
    h('summary', null, `Données du graphique « ${caption} »`),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        null,
        h('caption', { class: 'sr-only' }, caption),
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            h('th', { scope: 'col' }, firstHeader),
            series.map((s) => h('th', { scope: 'col', class: 'num' }, s.name)),
          ),
        ),
        h(
          'tbody',
          null,
          groups.map((g) =>
            h(
              'tr',
              null,
              h('th', { scope: 'row' }, g.label),
              g.values.map((v) => h('td', { class: 'num' }, numberFr(v))),
            ),
          ),
        ),
      ),
    ),
  );
}

const describe = (series: readonly Series[], groups: readonly Group[]) =>
  groups.map((g) => `${g.label} : ${g.values.map((v, i) => `${series[i]!.name.toLowerCase()} ${numberFr(v)}`).join(', ')}`).join(' ; ') || 'aucune donnée';

/** Vertical grouped bars (one group per year). */
export function columnChart(o: { caption: string; series: readonly Series[]; groups: readonly Group[]; firstHeader: string }) {
  const width = 640;
  const height = 260;
  const pad = { top: 24, right: 12, bottom: 36, left: 12 };
  const max = Math.max(1, ...o.groups.flatMap((g) => g.values));
  const groupWidth = (width - pad.left - pad.right) / Math.max(1, o.groups.length);
  const barWidth = Math.min(48, (groupWidth * 0.7) / o.series.length);
  const plotHeight = height - pad.top - pad.bottom;
  const titleId = uid('graphique');
  const descId = uid('graphique-desc');
  const bars = o.groups.flatMap((g, gi) => {
    const x0 = pad.left + gi * groupWidth + (groupWidth - barWidth * o.series.length) / 2;
    return [
      ...g.values.map((v, si) => {
        const barHeight = (v / max) * plotHeight;
        const x = x0 + si * barWidth;
        const y = pad.top + plotHeight - barHeight;
        return [
          svg('rect', { x: x + 2, y, width: barWidth - 4, height: Math.max(barHeight, 1), fill: FILLS[o.series[si]!.swatch] }),
          svg('text', { x: x + barWidth / 2, y: y - 6, 'text-anchor': 'middle', 'font-size': 13, fill: INK }, numberFr(v)),
        ];
      }),
      svg('text', { x: pad.left + gi * groupWidth + groupWidth / 2, y: height - 12, 'text-anchor': 'middle', 'font-size': 14, fill: INK }, g.label),
    ];
  });
  return h(
    'figure',
    { class: 'chart' },
    h('figcaption', { id: titleId }, o.caption),
    legend(o.series),
    svg(
      'svg',
      { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-labelledby': `${titleId} ${descId}` },
      svg('desc', { id: descId }, describe(o.series, o.groups)),
      svg('line', { x1: pad.left, x2: width - pad.right, y1: pad.top + plotHeight, y2: pad.top + plotHeight, stroke: INK, 'stroke-width': 1 }),
      bars.flat(),
    ),
    dataTable(o.caption, o.series, o.groups, o.firstHeader),
  );
}

/** Horizontal grouped bars (one group per access route or region: long labels read better on the left). */
export function barChart(o: { caption: string; series: readonly Series[]; groups: readonly Group[]; firstHeader: string }) {
  const width = 640;
  const labelWidth = 250;
  const barHeight = 18;
  const gap = 14;
  const groupHeight = barHeight * o.series.length + gap;
  const height = Math.max(40, o.groups.length * groupHeight + 10);
  const max = Math.max(1, ...o.groups.flatMap((g) => g.values));
  const plotWidth = width - labelWidth - 60;
  const titleId = uid('graphique');
  const descId = uid('graphique-desc');
  const shapes = o.groups.flatMap((g, gi) => {
    const y0 = 5 + gi * groupHeight;
    return [
      svg(
        'text',
        { x: labelWidth - 8, y: y0 + (barHeight * o.series.length) / 2 + 5, 'text-anchor': 'end', 'font-size': 14, fill: INK },
        g.label.length > 34 ? `${g.label.slice(0, 33)}…` : g.label,
      ),
      ...g.values.map((v, si) => {
        const w = (v / max) * plotWidth;
        const y = y0 + si * barHeight;
        return [
          svg('rect', { x: labelWidth, y: y + 1, width: Math.max(w, 1), height: barHeight - 2, fill: FILLS[o.series[si]!.swatch] }),
          svg('text', { x: labelWidth + Math.max(w, 1) + 6, y: y + barHeight - 4, 'font-size': 13, fill: INK }, numberFr(v)),
        ];
      }),
    ];
  });
  return h(
    'figure',
    { class: 'chart' },
    h('figcaption', { id: titleId }, o.caption),
    legend(o.series),
    o.groups.length
      ? svg(
          'svg',
          { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-labelledby': `${titleId} ${descId}` },
          svg('desc', { id: descId }, describe(o.series, o.groups)),
          svg('line', { x1: labelWidth, x2: labelWidth, y1: 0, y2: height, stroke: INK, 'stroke-width': 1 }),
          shapes.flat(),
        )
      : h('p', null, 'Aucune donnée pour cette année.'),
    dataTable(o.caption, o.series, o.groups, o.firstHeader),
  );
}
