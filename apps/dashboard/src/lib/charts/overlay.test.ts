import { describe, expect, it } from 'vitest';
import { bandLabel, bandsFor, toOverlayBands, type Band } from './bands.ts';
import { BAND_COLORS } from './colors.ts';
import { bandPixels } from './overlay.ts';

const band: Band = {
  kind: 'fault',
  start: Date.parse('2026-11-25T10:02:00Z') / 1000,
  end: Date.parse('2026-11-25T10:05:00Z') / 1000,
  open: false,
  title: 'error fault',
  environment: 'prod',
  charts: ['errors'],
};

describe('bands', () => {
  it('clips a band to the plot area and keeps it at least 2 px wide', () => {
    expect(bandPixels(100, 150, 50, 400)).toEqual([100, 50]);
    expect(bandPixels(150, 100, 50, 400)).toEqual([100, 50]);
    expect(bandPixels(0, 80, 50, 400)).toEqual([50, 30]);
    expect(bandPixels(120, 120, 50, 400)).toEqual([120, 2]);
    expect(bandPixels(400, 400, 50, 400)).toEqual([398, 2]);
    expect(bandPixels(10, 20, 50, 400)).toBeNull();
    expect(bandPixels(500, 600, 50, 400)).toBeNull();
  });

  it('draws each band on the charts it explains, in ms, coloured by kind', () => {
    expect(bandsFor('errors', [band])).toEqual([band]);
    expect(bandsFor('rate', [band])).toEqual([]);
    expect(toOverlayBands([band])).toEqual([
      { start: band.start * 1000, end: band.end * 1000, color: BAND_COLORS.fault },
    ]);
  });

  it('labels a band with its environment and times', () => {
    expect(bandLabel(band, 'UTC')).toBe('error fault · prod · Nov 25 10:02:00 – 10:05:00');
    expect(bandLabel({ ...band, open: true, environment: '' }, 'UTC')).toBe(
      'error fault · Nov 25 10:02:00 – 10:05:00 (still active)',
    );
  });
});
