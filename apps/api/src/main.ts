import { ConfigError, loadConfig } from './config.ts';
import { connectionLimit, openFileLimit } from './connections.ts';
import { createServer } from './server.ts';
import { startTelemetry } from './telemetry.ts';

// Starts one API from environment variables; stops gracefully on SIGTERM/SIGINT: readiness goes
// false, in-flight requests finish, metrics are flushed, exit 0.

function log(msg: string, extra: Record<string, unknown> = {}, level = 'info'): void {
  process.stdout.write(
    JSON.stringify({ time: new Date().toISOString(), level, msg, ...extra }) + '\n',
  );
}

let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`outpost api: ${err.message}\nSee docs/api.md#settings.\n`);
    process.exit(2);
  }
  throw err;
}

// Every connection holds a file descriptor: keep API_MAX_CONNECTIONS under the open-file limit,
// so a flood of connections is refused instead of starving the process of files.
const fdLimit = openFileLimit();
const maxConnections = connectionLimit(config.maxConnections, fdLimit);
if (maxConnections < config.maxConnections) {
  log(
    'API_MAX_CONNECTIONS lowered to fit the open-file limit; raise `ulimit -n` to serve more',
    {
      configured: config.maxConnections,
      max_connections: maxConnections,
      open_file_limit: fdLimit,
    },
    'warn',
  );
}

const telemetry = startTelemetry(config);
const readiness = { ready: false };
const server = await createServer(
  { ...config, maxConnections },
  { instruments: telemetry.instruments, readiness },
);

try {
  await server.start();
} catch (err) {
  const e = err as NodeJS.ErrnoException;
  process.stderr.write(
    e.code === 'EADDRINUSE'
      ? `outpost api: port ${config.port} on ${config.host} is in use; set PORT to a free port\n`
      : `outpost api: cannot start: ${e.message}\n`,
  );
  await telemetry.shutdown();
  process.exit(1);
}
readiness.ready = true;
log('listening', {
  url: server.info.uri,
  environment: config.environment,
  data_plane: config.dataPlaneId,
  max_connections: maxConnections,
  metrics: config.telemetry.disabled
    ? 'off'
    : config.telemetry.exporter === 'prometheus'
      ? `http://${config.telemetry.prometheusHost}:${config.telemetry.prometheusPort}/metrics`
      : `${config.telemetry.otlpEndpoint}/v1/metrics`,
});

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  readiness.ready = false;
  log('draining', { signal });
  await server.stop({ timeout: config!.shutdownTimeoutMs });
  await telemetry.shutdown();
  log('stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
