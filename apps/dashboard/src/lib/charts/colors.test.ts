import { describe, expect, it } from 'vitest';
import { colorFor, seriesNames } from './colors.ts';

describe('colours', () => {
  it('gives each series name one stable colour from a fixed palette', () => {
    expect(colorFor('prod')).toBe(colorFor('prod'));
    expect(colorFor('prod')).not.toBe(colorFor('dev'));
    expect(colorFor('customer-x-eu')).toBe(colorFor('customer-x-eu'));
    expect(colorFor('customer-x-eu')).toMatch(/^#[0-9a-f]{6}$/);
  });

  it('names series by the labels that differ, so explore matches the metrics page', () => {
    expect(seriesNames([{ environment: 'prod' }, { environment: 'dev' }])).toEqual(['prod', 'dev']);
    expect(seriesNames([{ environment: 'prod' }])).toEqual(['prod']);
    expect(
      seriesNames([
        { environment: 'prod', http_route: '/a', job: 'x' },
        { environment: 'dev', http_route: '/b', job: 'x' },
      ]),
    ).toEqual(['{environment="prod", http_route="/a"}', '{environment="dev", http_route="/b"}']);
    expect(seriesNames([{ job: 'x', instance: 'y' }])).toEqual(['{instance="y", job="x"}']);
    expect(seriesNames([{}])).toEqual(['{}']);
  });
});
