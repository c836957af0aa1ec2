import type { AddressInfo } from 'node:net';
import { FleetConfigError, readFleetConfig, type FleetConfig } from './config.ts';
import { createFleetServer } from './server.ts';

// The fleet simulator: a test double for many data planes, served by one process on one port,
// so the control plane and the dashboard can be tried at fleet size on one machine
// (`npm start -- --fleet N`). Each plane answers like a real plane's metrics endpoint:
//
//   GET /planes/<id>/metrics   the plane's series (Prometheus text format)
//   GET /planes/<id>/health    200 {"status":"ok","simulated":true}; /ready the same
//   GET /healthz               200 while the simulator runs
//
// Environment: HOST (default 127.0.0.1), PORT (required; 0 picks one), FLEET_FILE (the planes,
// a JSON array of { id, customer, environment }), FLEET_SEED (integer, default 1). A bad value
// exits 2 with a message naming the variable.

let config: FleetConfig;
try {
  config = readFleetConfig(process.env);
} catch (err) {
  if (!(err instanceof FleetConfigError)) throw err;
  console.error(`fleet simulator: ${err.message}`);
  process.exit(2);
}

const server = createFleetServer({ planes: config.planes, seed: config.seed });

server.on('error', (err: NodeJS.ErrnoException) => {
  // Cannot listen there: the operator's to fix (another port or host), like a bad variable.
  if (err.code === 'EADDRINUSE' || err.code === 'EACCES' || err.code === 'EADDRNOTAVAIL') {
    console.error(
      `fleet simulator: cannot listen on HOST ${config.host} PORT ${config.port}: ${err.code}`,
    );
    process.exit(2);
  }
  throw err;
});

server.listen(config.port, config.host, () => {
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  console.log(
    `fleet simulator: ${config.planes.length} planes on http://${host}:${port} (seed ${config.seed})`,
  );
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    // A scrape takes milliseconds: give the ones in flight 2 s, then go.
    setTimeout(() => process.exit(0), 2_000).unref();
  });
}
