import { appendFileSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';

/**
 * Process mode's alert receiver: Alertmanager posts notifications to POST /alerts; each is
 * appended as one JSON line to `file`, and GET /alerts returns them all, so a firing alert can
 * be followed end to end without any external service.
 */
export function startWebhookReceiver(port: number, file: string): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url === '/alerts' && req.method === 'POST') {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        try {
          const notification = JSON.parse(body) as unknown;
          appendFileSync(
            file,
            JSON.stringify({ receivedAt: new Date().toISOString(), notification }) + '\n',
          );
          res.writeHead(200).end();
        } catch {
          res
            .writeHead(400, { 'content-type': 'application/json' })
            .end('{"error":"body is not JSON"}');
        }
      });
      return;
    }
    if (req.url === '/alerts' && req.method === 'GET') {
      let lines: string[] = [];
      try {
        lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
      } catch {
        // nothing received yet
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(`[${lines.join(',')}]`);
      return;
    }
    if (req.url === '/healthz') {
      res.writeHead(200).end('ok');
      return;
    }
    res
      .writeHead(404, { 'content-type': 'application/json' })
      .end('{"error":"POST or GET /alerts"}');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
