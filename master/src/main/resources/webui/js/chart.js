// Resource charts drawn with uPlot (from the uplot WebJar, served by the master under
// /ui/vendor/; the version in the path is the one pinned in the parent pom).

import uPlot from '/ui/vendor/uplot/1.6.30/dist/uPlot.esm.js';

const SERIES = [
  { label: 'total', stroke: '#5c6675' },
  { label: 'allocated', stroke: '#1b7f3b', fill: 'rgba(27,127,59,0.12)' },
  { label: 'offered', stroke: '#c77c02' },
];

/** A chart of one resource's total/allocated/offered over the samples; returns {element, update}. */
export function resourceChart(title, name, figures) {
  const holder = document.createElement('div');
  holder.className = 'chart';
  const data = () => {
    const s = figures.samples;
    return [s.map((x) => x.t), s.map((x) => x.total[name] || 0),
      s.map((x) => x.allocated[name] || 0), s.map((x) => x.offered[name] || 0)];
  };
  const plot = new uPlot({
    title, width: 420, height: 180,
    scales: {
      // At least the last five minutes, so the first samples do not span the whole axis.
      x: { time: true, range: (u, min, max) => [Math.min(min ?? 0, (max ?? 0) - 300), max ?? 0] },
      y: { range: (u, min, max) => [0, Math.max(1, max ?? 0)] },
    },
    series: [{}, ...SERIES.map((s) => ({ ...s, width: 1.5 }))],
    axes: [{}, { size: 60 }],
  }, data(), holder);
  return { element: holder, update: () => plot.setData(data()), destroy: () => plot.destroy() };
}
