import { copyFileSync, mkdtempSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE, buildApi, bundleIsStale } from '../build.ts';
import { freePort, startApi, type ApiProcess } from './testing/process.ts';

// The bundle is what ships: the image holds Node and dist/main.mjs, nothing else.

describe('the API bundle (apps/api/build.ts)', () => {
  let api: ApiProcess | undefined;
  let alone: string;

  beforeAll(async () => {
    await buildApi();
    alone = mkdtempSync(join(tmpdir(), 'api-bundle-'));
  }, 60_000);
  afterAll(() => {
    api?.child.kill('SIGKILL');
    rmSync(alone, { recursive: true, force: true });
  });

  it('is stale once a source it came from is newer, and fresh after a build', () => {
    expect(bundleIsStale()).toBe(false);
    const source = join(import.meta.dirname, 'server.ts');
    const { atime, mtime } = statSync(source);
    try {
      const later = new Date(statSync(BUNDLE).mtimeMs + 60_000);
      utimesSync(source, later, later);
      expect(bundleIsStale()).toBe(true);
    } finally {
      utimesSync(source, atime, mtime);
    }
    expect(bundleIsStale()).toBe(false);
  });

  it('runs on its own, without node_modules, and serves its routes and metrics', async () => {
    const main = join(alone, 'main.mjs');
    copyFileSync(BUNDLE, main);
    const metricsPort = await freePort();
    api = await startApi(
      {
        OTEL_METRICS_EXPORTER: 'prometheus',
        OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
        OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
        API_REQUEST_LOG: 'off',
      },
      { main, cwd: alone },
    );
    expect((await fetch(`${api.url}/api/products`)).status).toBe(200);
    const text = await fetch(`http://127.0.0.1:${metricsPort}/metrics`).then((r) => r.text());
    expect(text).toMatch(
      /http_server_request_duration_seconds_count\{[^}]*http_route="\/api\/products"/,
    );
    expect(text).toMatch(/app_faults_active/);
  });
});
