// @ts-check
import { appendFileSync, existsSync, readFileSync, renameSync, statSync } from 'node:fs';
import { createServer } from 'node:http';

// Process mode's alert receiver (and Docker's, in a node image): Alertmanager posts
// notifications to POST /alerts; each is appended as one JSON line to ALERT_RECEIVER_FILE, and
// GET /alerts returns the newest ones, so a firing alert can be followed end to end without an
// external service. Self-contained (node: modules only) and plain JavaScript, so this file is
// what every platform runs as is: no TypeScript stripping, which would cost about 17 MB of RSS.
// tsc still checks it (@ts-check, JSDoc types).

/** Largest notification accepted; Alertmanager's (max_alerts: 100) are far smaller. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** The file rotates to `<file>.1` past this size, so disk use stays bounded. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;
/** GET /alerts returns at most this many notifications, newest kept. */
export const MAX_LIST = 500;

const file = process.env.ALERT_RECEIVER_FILE ?? 'alerts.jsonl';
const port = Number(process.env.PORT ?? 9095);
const host = process.env.HOST ?? '127.0.0.1';

/**
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {unknown} body
 */
function json(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** @param {unknown} notification */
function record(notification) {
  if (existsSync(file) && statSync(file).size > MAX_FILE_BYTES) renameSync(file, `${file}.1`);
  appendFileSync(
    file,
    JSON.stringify({ receivedAt: new Date().toISOString(), notification }) + '\n',
  );
}

/** @returns {string[]} */
function newest() {
  /** @param {string} path */
  const lines = (path) => {
    try {
      return readFileSync(path, 'utf8').split('\n').filter(Boolean);
    } catch {
      return [];
    }
  };
  return [...lines(`${file}.1`), ...lines(file)].slice(-MAX_LIST);
}

const server = createServer((req, res) => {
  if (req.url === '/alerts' && req.method === 'POST') {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) {
      json(res, 413, { error: `body over ${MAX_BODY_BYTES} bytes` });
      req.resume();
      return;
    }
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    req.on('data', (/** @type {Buffer} */ d) => {
      size += d.length;
      if (size > MAX_BODY_BYTES) {
        json(res, 413, { error: `body over ${MAX_BODY_BYTES} bytes` });
        req.destroy();
        return;
      }
      chunks.push(d);
    });
    req.on('end', () => {
      try {
        record(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        res.writeHead(200).end();
      } catch {
        json(res, 400, { error: 'body is not JSON' });
      }
    });
    req.on('error', () => {});
    return;
  }
  if (req.url === '/alerts' && req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(`[${newest().join(',')}]`);
    return;
  }
  if (req.url === '/healthz') {
    res.writeHead(200).end('ok');
    return;
  }
  json(res, 404, { error: 'POST or GET /alerts' });
});
server.requestTimeout = 10_000;
server.headersTimeout = 5_000;
server.listen(port, host);
for (const signal of /** @type {const} */ (['SIGTERM', 'SIGINT']))
  process.on(signal, () => server.close(() => process.exit(0)));
