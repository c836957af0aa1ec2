import { execFileSync } from 'node:child_process';

// One variant of the API in this process: WARMUP injected requests, then WINDOWS windows of
// REQUESTS more, callgrind's counters zeroed before and dumped after each window
// (bench/instructions.ts runs this under `valgrind --tool=callgrind --instr-atstart=no` and
// reads the dumps). ROOT is a checkout holding apps/api/src; MODE `on` (metrics, read in memory)
// or `off` (OTEL_SDK_DISABLED=true).

const [root, mode, requests, warmup, windows] = process.argv.slice(2) as [
  string,
  'on' | 'off',
  string,
  string,
  string,
];
const src = `${root}/apps/api/src`;
const { createServer } = await import(`${src}/server.ts`);
const { startTelemetry } = await import(`${src}/telemetry.ts`);
const { loadConfig } = await import(`${src}/config.ts`);
const { TestReader } = await import(`${src}/testing/harness.ts`);

const config = loadConfig({
  PORT: '0',
  HOST: '127.0.0.1',
  API_REQUEST_LOG: 'off',
  API_MAX_EVENT_LOOP_DELAY_MS: '0',
  ...(mode === 'off' ? { OTEL_SDK_DISABLED: 'true' } : {}),
});
const telemetry = startTelemetry(config, { readers: [new TestReader()], withoutExporter: true });
const server = await createServer(config, { instruments: telemetry.instruments });
await server.initialize();
const callgrind = (...args: string[]) =>
  execFileSync('callgrind_control', [...args, String(process.pid)], { stdio: 'ignore' });

for (let i = 0; i < Number(warmup); i += 1) await server.inject('/api/products/p-001');
callgrind('-i', 'on');
for (let w = 0; w < Number(windows); w += 1) {
  callgrind('-z');
  for (let i = 0; i < Number(requests); i += 1) await server.inject('/api/products/p-001');
  callgrind('-d');
}
process.exit(0);
