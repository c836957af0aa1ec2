import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

// The benchmark's target: the smallest useful HTTP server (200 with a 2-byte JSON body,
// keep-alive), so the figures measure the load generator rather than the API.
const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': '2' });
  res.end('{}');
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
