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
