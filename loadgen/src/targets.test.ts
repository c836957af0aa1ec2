import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeTargets, resolveTargets, TargetError } from './targets.ts';
import { closedPort, startFakeApi, type FakeApi } from './testing/fake-api.ts';
import { outputs } from './testing/fixtures.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'loadgen-targets-'));
});

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(TargetError);
    return (err as Error).message;
  }
  throw new Error('expected a TargetError');
}

describe('targets from stack outputs', () => {
  it('reads the data planes and filters by environment and customer', async () => {
    const path = await file(
      'ok.json',
      JSON.stringify(
        outputs([
          { env: 'prod' },
          { env: 'dev' },
          { env: 'qa' },
          { env: 'prod', customer: 'globex' },
        ]),
      ),
    );
    const all = await resolveTargets({ kind: 'outputs', file: path }, {});
    expect(all.map((t) => t.name)).toEqual([
      'acme-prod-01',
      'acme-dev-02',
      'acme-qa-03',
      'globex-prod-04',
    ]);
    const prod = await resolveTargets(
      { kind: 'outputs', file: path },
      { envs: ['prod'], customer: 'acme' },
    );
    expect(prod).toEqual([
      {
        name: 'acme-prod-01',
        url: 'http://127.0.0.1:8081',
        environment: 'prod',
        customer: 'acme',
        adminToken: 'secret',
      },
    ]);
  });

  it('--stack NAME reads <run dir>/NAME/outputs.json', async () => {
    await mkdir(join(dir, 'run', 'demo'), { recursive: true });
    await writeFile(
      join(dir, 'run', 'demo', 'outputs.json'),
      JSON.stringify(outputs([{ env: 'qa' }])),
    );
    process.env.LOADGEN_RUN_DIR = join(dir, 'run');
    try {
      const targets = await resolveTargets({ kind: 'stack', stack: 'demo' }, {});
      expect(targets.map((t) => t.environment)).toEqual(['qa']);
      expect(await failure(resolveTargets({ kind: 'stack', stack: 'other' }, {}))).toMatch(
        /other\/outputs\.json: no such file\. Start the platform with `npm start`/,
      );
    } finally {
      delete process.env.LOADGEN_RUN_DIR;
    }
  });

  it('bad files: missing, not JSON, wrong shape (naming the field), no match for a filter', async () => {
    expect(
      await failure(resolveTargets({ kind: 'outputs', file: join(dir, 'none.json') }, {})),
    ).toMatch(/no such file/);
    const notJson = await file('bad.json', '{"stack": ');
    expect(await failure(resolveTargets({ kind: 'outputs', file: notJson }, {}))).toMatch(
      /bad\.json: not valid JSON/,
    );
    const wrong = outputs([{ env: 'prod' }]) as Record<string, unknown>;
    (wrong.dataPlanes as Record<string, unknown>[])[0]!.apiUrl = 'ftp://nope';
    const wrongPath = await file('wrong.json', JSON.stringify(wrong));
    expect(await failure(resolveTargets({ kind: 'outputs', file: wrongPath }, {}))).toMatch(
      /dataPlanes\[0\]\.apiUrl: must be an http\(s\) URL/,
    );
    const ok = await file('two.json', JSON.stringify(outputs([{ env: 'prod' }, { env: 'dev' }])));
    expect(
      await failure(resolveTargets({ kind: 'outputs', file: ok }, { envs: ['staging'] })),
    ).toMatch(
      /no data plane matches --env staging \(stack 'local' has environments: prod, dev; customers: acme\)/,
    );
  });

  it('--plane picks data planes by name or id', async () => {
    const path = await file(
      'planes.json',
      JSON.stringify(outputs([{ env: 'prod' }, { env: 'dev' }, { env: 'qa' }])),
    );
    const picked = await resolveTargets(
      { kind: 'outputs', file: path },
      { planes: ['acme-prod', 'acme-qa-03'] },
    );
    expect(picked.map((t) => t.name)).toEqual(['acme-prod-01', 'acme-qa-03']);
    expect(
      await failure(resolveTargets({ kind: 'outputs', file: path }, { planes: ['acme-nope'] })),
    ).toMatch(
      /no data plane matches --plane acme-nope \(.*; planes: acme-prod-01, acme-dev-02, acme-qa-03\)/,
    );
  });

  describe('simulated planes', () => {
    // A fleet: one real plane and two simulated ones (no API of their own).
    const fleet = outputs([
      { env: 'prod' },
      { env: 'prod', simulated: true },
      { env: 'dev', simulated: true },
      { env: 'qa', simulated: false },
    ]);

    it('are skipped, with a note, unless named with --plane', async () => {
      const path = await file('fleet.json', JSON.stringify(fleet));
      const notes: string[] = [];
      const all = await resolveTargets({ kind: 'outputs', file: path }, {}, (l) => notes.push(l));
      expect(all.map((t) => t.name)).toEqual(['acme-prod-01', 'acme-qa-04']);
      expect(notes).toEqual([
        'skipping simulated data planes acme-prod-02, acme-dev-03 (--plane NAME targets one)',
      ]);
      const prod = await resolveTargets({ kind: 'outputs', file: path }, { envs: ['prod'] });
      expect(prod.map((t) => t.name)).toEqual(['acme-prod-01']);
      const named = await resolveTargets(
        { kind: 'outputs', file: path },
        { planes: ['acme-dev-03', 'acme-prod-01'] },
      );
      expect(named.map((t) => t.name)).toEqual(['acme-prod-01', 'acme-dev-03']);
    });

    it('when every selected plane is simulated: a TargetError naming them and --plane', async () => {
      const path = await file('fleet-only.json', JSON.stringify(fleet));
      expect(
        await failure(resolveTargets({ kind: 'outputs', file: path }, { envs: ['dev'] })),
      ).toBe(
        `${path}: every data plane that matches --env dev is simulated (acme-dev-03): a simulated fleet has no API to load. ` +
          'Name one with --plane acme-dev-03 to target it anyway, or start the platform with real data planes',
      );
      const simOnly = await file(
        'sim-only.json',
        JSON.stringify(outputs([{ env: 'prod', simulated: true }])),
      );
      expect(await failure(resolveTargets({ kind: 'outputs', file: simOnly }, {}))).toMatch(
        /every data plane of stack 'local' is simulated \(acme-prod-01\)/,
      );
    });
  });

  it('--env, --customer and --plane do not apply to explicit URLs', async () => {
    expect(
      await failure(
        resolveTargets({ kind: 'urls', urls: ['http://127.0.0.1:1'] }, { planes: ['x'] }),
      ),
    ).toMatch(/--plane filter the data planes of --stack or --outputs/);
  });

  it('--env and --customer do not apply to explicit URLs', async () => {
    expect(
      await failure(
        resolveTargets({ kind: 'urls', urls: ['http://127.0.0.1:1'] }, { envs: ['prod'] }),
      ),
    ).toMatch(/cannot be used with --target/);
  });
});

describe('probe', () => {
  let api: FakeApi;
  beforeAll(async () => {
    api = await startFakeApi();
  });
  afterAll(() => api.close());

  it('a target that answers anything is up; one that refuses says why', async () => {
    const results = await probeTargets([
      { name: 'up', url: api.url },
      { name: 'down', url: `http://127.0.0.1:${await closedPort()}` },
    ]);
    expect(results.map((r) => [r.target.name, r.ok])).toEqual([
      ['up', true],
      ['down', false],
    ]);
    expect(results[1]?.reason).toBe('ECONNREFUSED');
  });
});
