import type { Chart, Plugin } from 'chart.js';

// What the dashboard draws over Chart.js's lines, in one plugin registered once: annotation
// bands behind the lines, the shared crosshair and the drag-to-zoom selection in front. Each
// chart's overlay state lives beside it (WeakMap), changed by LineChart.svelte, then drawn with
// `chart.draw()`. (chartjs-plugin-annotation and -zoom cost 13 and 12.5 KB gzip; this is
// well under 1 KB, see docs/dashboard.md.)

/** A shaded time range, ms. */
export interface OverlayBand {
  start: number;
  end: number;
  color: string;
}

export interface Overlay {
  bands: OverlayBand[];
  /** The crosshair's instant, ms, or null. */
  crosshair: number | null;
  /** The range being dragged, ms, or null. */
  selection: [number, number] | null;
}

const overlays = new WeakMap<Chart, Overlay>();

/** The overlay state of a chart (created empty on first use). */
export function overlayOf(chart: Chart): Overlay {
  let o = overlays.get(chart);
  if (!o) {
    o = { bands: [], crosshair: null, selection: null };
    overlays.set(chart, o);
  }
  return o;
}

/** A band's pixels within the plot area, at least 2 px wide so a one-step band shows. */
export function bandPixels(
  startPx: number,
  endPx: number,
  left: number,
  right: number,
): [number, number] | null {
  const a = Math.max(left, Math.min(startPx, endPx));
  const b = Math.min(right, Math.max(startPx, endPx));
  if (b < left || a > right || a > b) return null;
  const width = Math.max(2, b - a);
  return [Math.min(a, right - width), width];
}

function fillRange(chart: Chart, from: number, to: number, color: string): boolean {
  const { left, right, top, bottom } = chart.chartArea;
  const x = chart.scales.x!;
  const px = bandPixels(x.getPixelForValue(from), x.getPixelForValue(to), left, right);
  if (!px) return false;
  chart.ctx.fillStyle = color;
  chart.ctx.fillRect(px[0], top, px[1], bottom - top);
  return true;
}

export const overlayPlugin: Plugin<'line'> = {
  id: 'outpostOverlay',
  beforeDatasetsDraw(chart) {
    const o = overlays.get(chart as Chart);
    if (!o || !chart.scales.x) return;
    chart.ctx.save();
    let drawn = 0;
    for (const band of o.bands)
      if (fillRange(chart as Chart, band.start, band.end, band.color)) drawn += 1;
    chart.ctx.restore();
    // What was drawn, for people's tools and the browser tests.
    chart.canvas.dataset.bandsDrawn = String(drawn);
  },
  afterDatasetsDraw(chart) {
    const o = overlays.get(chart as Chart);
    const x = chart.scales.x;
    if (!o || !x) return;
    const { left, right, top, bottom } = chart.chartArea;
    const ctx = chart.ctx;
    ctx.save();
    if (o.selection)
      fillRange(chart as Chart, o.selection[0], o.selection[1], 'rgba(28, 126, 214, 0.18)');
    const px = o.crosshair === null ? NaN : x.getPixelForValue(o.crosshair);
    if (px >= left && px <= right) {
      ctx.strokeStyle = 'rgba(134, 142, 150, 0.9)';
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(Math.round(px) + 0.5, top);
      ctx.lineTo(Math.round(px) + 0.5, bottom);
      ctx.stroke();
      chart.canvas.dataset.crosshair = String(o.crosshair);
    } else delete chart.canvas.dataset.crosshair;
    ctx.restore();
  },
};
