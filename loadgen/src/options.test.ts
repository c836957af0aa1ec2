import { describe, expect, it } from 'vitest';
import {
  combine,
  DEFAULT_SETTINGS,
  parseCommandLine,
  UsageError,
  type Settings,
} from './options.ts';

function settings(argv: string[]): Settings {
  const command = parseCommandLine(argv);
  if (command.kind !== 'run') throw new Error(`expected a run, got ${command.kind}`);
  return combine(DEFAULT_SETTINGS, command.pattern, command.flags);
}

function usage(argv: string[]): string {
  try {
    parseCommandLine(argv);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error(`no usage error for ${argv.join(' ')}`);
}

describe('flags', () => {
  it('defaults: steady, 50 req/s, 60 s, --stack local', () => {
    const s = settings([]);
    expect(s).toMatchObject({
      pattern: 'steady',
      rate: 50,
      duration: 60,
      source: { kind: 'stack', stack: 'local' },
    });
  });

  it("accepts the original PoC's short forms -t URL -r RATE -d SECONDS", () => {
    const s = settings([
      '-t',
      'http://127.0.0.1:8081',
      '-t',
      'http://127.0.0.1:8082',
      '-r',
      '250',
      '-d',
      '30',
    ]);
    expect(s.source).toEqual({
      kind: 'urls',
      urls: ['http://127.0.0.1:8081', 'http://127.0.0.1:8082'],
    });
    expect(s.rate).toBe(250);
    expect(s.duration).toBe(30);
  });

  it('durations take units; soak defaults to 30 minutes unless one is given', () => {
    expect(settings(['--duration', '5m']).duration).toBe(300);
    expect(settings(['-d', '1h']).duration).toBe(3600);
    expect(settings(['-d', '750ms']).duration).toBe(0.75);
    expect(settings(['soak']).duration).toBe(1800);
    expect(settings(['soak', '-d', '90s']).duration).toBe(90);
  });

  it('pattern parameters, filters, mix, invalid share, thresholds', () => {
    const s = settings([
      'spike',
      '--spike-at',
      '10s',
      '--spike-for',
      '5',
      '--spike-x',
      '3',
      '--stack',
      'dev',
      '--env',
      'prod,qa',
      '--customer',
      'acme',
      '--mix',
      'browse=1,order=1',
      '--invalid',
      '5%',
      '--threshold',
      'p95<300ms',
      '--threshold',
      'errors<1%',
    ]);
    expect(s.params).toEqual({ spikeAt: 10, spikeFor: 5, spikeX: 3 });
    expect(s.filters).toEqual({ envs: ['prod', 'qa'], customer: 'acme' });
    expect(s.mix).toEqual({ browse: 1, search: 0, order: 1, pay: 0, report: 0 });
    expect(s.invalidShare).toBe(0.05);
    expect(s.thresholds.map((t) => t.expression)).toEqual(['p95<300ms', 'errors<1%']);
  });

  it('--plane takes a list of data plane names or ids, alone or with --env', () => {
    expect(settings(['--plane', 'acme-sim-01, acme-prod']).filters).toEqual({
      planes: ['acme-sim-01', 'acme-prod'],
    });
    expect(settings(['--env', 'prod', '--plane', 'acme-prod']).filters).toEqual({
      envs: ['prod'],
      planes: ['acme-prod'],
    });
  });

  it('scenario commands', () => {
    expect(parseCommandLine(['scenario', '--list'])).toEqual({ kind: 'list-scenarios' });
    expect(parseCommandLine(['scenario', 'qa-load-test', '-d', '10'])).toMatchObject({
      kind: 'scenario',
      name: 'qa-load-test',
      flags: { duration: 10 },
    });
  });
});

describe('flag errors name the flag and what it accepts', () => {
  it.each([
    [['--rate', 'fast'], /--rate: must be a number > 0 .*got 'fast'/],
    [['-r', '0'], /--rate: must be a number > 0/],
    [['-r', '100001'], /--rate: must be a number > 0 and <= 100000 .*got '100001'/],
    [['-d', '10 minutes'], /--duration: must be a duration such as 90s, 5m, 1h/],
    [['--bogus'], /unknown flag --bogus; accepted: --stack, --outputs, --target \(-t\)/],
    [['--rate'], /--rate needs a value/],
    [['wobble'], /unknown pattern 'wobble'; accepted: steady, spike, ramp, soak/],
    [['--stack', 'a', '-t', 'http://x'], /use one of --stack, --outputs or --target/],
    [['-t', 'localhost:8080'], /--target: 'localhost:8080' must be http:\/\/ or https:\/\//],
    [['-t', 'nope'], /--target: 'nope' is not a URL/],
    [['--plane', ','], /--plane: give a comma-separated list/],
    [['--invalid', '150%'], /--invalid: must be a share from 0 to 1/],
    [
      ['--mix', 'browse=1,shop=2'],
      /--mix: unknown route 'shop'; accepted: browse, search, order, pay, report/,
    ],
    [['--threshold', 'p95<fast'], /--threshold: cannot read 'p95<fast'; metrics: p50/],
    [['--threshold', 'latency<3ms'], /unknown metric 'latency'/],
    [['--control-port', '70000'], /--control-port: must be a whole number from 0 to 65535/],
    [['--connections', '1.5'], /--connections: must be a whole number/],
    [['scenario'], /scenario: give a name, or --list/],
    [['--list'], /--list goes with 'scenario'/],
  ])('%j', (argv, message) => {
    expect(usage(argv)).toMatch(message);
  });
});
