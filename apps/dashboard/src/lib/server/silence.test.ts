import { describe, expect, it } from 'vitest';
import { matchersFromLabels, parseSilenceForm, parseSilenceId } from './silence.ts';

const NOW = Date.parse('2026-11-25T10:00:00Z');

function form(fields: Array<[string, string]>): FormData {
  const f = new FormData();
  for (const [k, v] of fields) f.append(k, v);
  return f;
}

const valid: Array<[string, string]> = [
  ['name', 'alertname'],
  ['op', '='],
  ['value', 'HighErrorRatio'],
  ['name', 'environment'],
  ['op', '=~'],
  ['value', 'prod|dev'],
  ['duration', '2h'],
  ['comment', 'fault injection drill'],
  ['createdBy', 'ops'],
];

describe('silence form', () => {
  it('accepts a valid silence and builds what Alertmanager takes', () => {
    const result = parseSilenceForm(form(valid), NOW);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.silence).toEqual({
      matchers: [
        { name: 'alertname', value: 'HighErrorRatio', isRegex: false, isEqual: true },
        { name: 'environment', value: 'prod|dev', isRegex: true, isEqual: true },
      ],
      startsAt: '2026-11-25T10:00:00.000Z',
      endsAt: '2026-11-25T12:00:00.000Z',
      createdBy: 'ops',
      comment: 'fault injection drill',
    });
  });

  it('names every bad field', () => {
    const result = parseSilenceForm(
      form([
        ['name', '1bad'],
        ['op', '='],
        ['value', 'x'],
        ['name', 'job'],
        ['op', '=~'],
        ['value', '(unclosed'],
        ['name', 'env'],
        ['op', '<>'],
        ['value', 'x'],
        ['duration', '2 hours'],
        ['comment', 'x'],
        ['createdBy', ''],
      ]),
      NOW,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors.matchers ?? {})).toEqual(['0', '1', '2']);
    expect(result.errors.matchers?.[0]).toMatch(/label name "1bad"/);
    expect(result.errors.matchers?.[1]).toMatch(/regular expression/);
    expect(result.errors.matchers?.[2]).toMatch(/operator/);
    expect(result.errors.duration).toMatch(/duration such as/);
    expect(result.errors.comment).toMatch(/3 to 500/);
    expect(result.errors.createdBy).toMatch(/who silences it/);
    // The form comes back as sent, to be corrected.
    expect(result.values.matchers).toHaveLength(3);
    expect(result.values.duration).toBe('2 hours');
  });

  it('bounds the duration, the comment and the matchers', () => {
    const replace = (key: string, value: string) =>
      form(valid.map(([k, v]) => [k, k === key ? value : v]));
    const errs = (f: FormData) => {
      const r = parseSilenceForm(f, NOW);
      return r.ok ? {} : r.errors;
    };
    expect(errs(replace('duration', '30s')).duration).toBe('between 1m and 30d');
    expect(errs(replace('duration', '31d')).duration).toBe('between 1m and 30d');
    expect(errs(replace('duration', '30d')).duration).toBeUndefined();
    expect(errs(replace('comment', 'x'.repeat(501))).comment).toMatch(/3 to 500/);
    expect(errs(replace('createdBy', 'x'.repeat(101))).createdBy).toBeDefined();
    expect(
      errs(
        form([
          ['duration', '1h'],
          ['comment', 'nothing to match'],
          ['createdBy', 'ops'],
        ]),
      ).matcherSet,
    ).toBe('add at least one matcher');
    expect(
      errs(
        form([
          ['name', 'job'],
          ['op', '=~'],
          ['value', '.*'],
          ['duration', '1h'],
          ['comment', 'silence everything'],
          ['createdBy', 'ops'],
        ]),
      ).matcherSet,
    ).toMatch(/must not match an empty/);
    expect(
      errs(
        form([
          ...Array.from({ length: 21 }, (_, i): Array<[string, string]> => [
            ['name', `l${i}`],
            ['op', '='],
            ['value', 'x'],
          ]).flat(),
          ['duration', '1h'],
          ['comment', 'too many matchers'],
          ['createdBy', 'ops'],
        ]),
      ).matcherSet,
    ).toBe('at most 20 matchers');
    expect(errs(replace('value', 'a\nb')).matchers?.[0]).toMatch(/control characters/);
  });

  it('reads negative matchers', () => {
    const r = parseSilenceForm(
      form([
        ['name', 'alertname'],
        ['op', '='],
        ['value', 'X'],
        ['name', 'severity'],
        ['op', '!='],
        ['value', 'page'],
        ['name', 'job'],
        ['op', '!~'],
        ['value', 'a.*'],
        ['duration', '1h'],
        ['comment', 'negated'],
        ['createdBy', 'ops'],
      ]),
      NOW,
    );
    expect(r.ok && r.silence.matchers.slice(1)).toEqual([
      { name: 'severity', value: 'page', isRegex: false, isEqual: false },
      { name: 'job', value: 'a.*', isRegex: true, isEqual: false },
    ]);
  });

  it('prefills matchers from an alert, and reads only UUIDs as silence ids', () => {
    expect(
      matchersFromLabels({ alertname: 'A', alertstate: 'firing', environment: 'prod' }),
    ).toEqual([
      { name: 'alertname', op: '=', value: 'A' },
      { name: 'environment', op: '=', value: 'prod' },
    ]);
    expect(parseSilenceId(form([['id', '0F1D3E4A-0000-4000-8000-00000000AAAA']]))).toBe(
      '0f1d3e4a-0000-4000-8000-00000000aaaa',
    );
    expect(parseSilenceId(form([['id', '../../admin']]))).toBeNull();
    expect(parseSilenceId(form([]))).toBeNull();
  });
});
