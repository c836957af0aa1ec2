import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Credential, SecretRef } from '../plan/types.ts';
import { ProcessModeError } from './checks.ts';

/** Every credential's values: `value` of a token, `crt` and `key` of a certificate. */
export type CredentialValues = Map<string, Partial<Record<SecretRef['key'], string>>>;

/** The environment variable that supplies a credential in process mode (`OUTPOST_SECRET_<ID>`). */
export function secretVariable(id: string): string {
  return `OUTPOST_SECRET_${id.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/**
 * Process mode's credentials, made per run: random tokens (node:crypto), and a CA with the
 * certificates it signs (openssl, EC P-256, 30 days). A token set in the environment as
 * OUTPOST_SECRET_<ID> wins (API_ADMIN_TOKEN too, for every plane's admin token, as before);
 * `external` ones must be set that way.
 */
export function makeCredentials(
  credentials: Credential[],
  env: NodeJS.ProcessEnv = process.env,
): CredentialValues {
  const values: CredentialValues = new Map();
  const work = mkdtempSync(join(tmpdir(), 'outpost-pki-'));
  try {
    const openssl = (...args: string[]) =>
      execFileSync('openssl', args, { cwd: work, stdio: ['ignore', 'ignore', 'pipe'] });
    const missing: string[] = [];
    for (const c of credentials) {
      const supplied =
        env[secretVariable(c.id)] || (c.id.endsWith('-admin-token') ? env.API_ADMIN_TOKEN : '');
      switch (c.kind) {
        case 'token':
          values.set(c.id, { value: supplied || randomBytes(24).toString('base64url') });
          break;
        case 'external':
          if (supplied) values.set(c.id, { value: supplied });
          else missing.push(`${secretVariable(c.id)} (${c.description})`);
          break;
        case 'imported':
          throw new ProcessModeError(
            `${c.id} comes from stack ${c.from}: process mode runs one stack; remove scrapeStacks`,
          );
        case 'ca':
          openssl(
            'req',
            '-x509',
            '-newkey',
            'ec',
            '-pkeyopt',
            'ec_paramgen_curve:P-256',
            '-nodes',
            '-keyout',
            'ca.key',
            '-out',
            'ca.crt',
            '-days',
            '30',
            '-subj',
            `/CN=${c.commonName}`,
            '-addext',
            'basicConstraints=critical,CA:TRUE',
            '-addext',
            'keyUsage=critical,keyCertSign,cRLSign',
          );
          values.set(c.id, { crt: read(work, 'ca.crt'), key: read(work, 'ca.key') });
          break;
        case 'cert': {
          const ca = values.get(c.ca);
          if (!ca?.crt || !ca.key)
            throw new Error(`credential ${c.id}: its CA ${c.ca} comes later in the plan`);
          writeFileSync(join(work, 'issuer.crt'), ca.crt);
          writeFileSync(join(work, 'issuer.key'), ca.key, { mode: 0o600 });
          const sans = [
            ...c.dnsNames.map((d) => `DNS:${d}`),
            ...c.ipAddresses.map((ip) => `IP:${ip}`),
          ];
          writeFileSync(
            join(work, 'ext.cnf'),
            `subjectAltName=${sans.join(',')}\nextendedKeyUsage=serverAuth\n`,
          );
          openssl(
            'req',
            '-newkey',
            'ec',
            '-pkeyopt',
            'ec_paramgen_curve:P-256',
            '-nodes',
            '-keyout',
            'leaf.key',
            '-out',
            'leaf.csr',
            '-subj',
            `/CN=${c.commonName}`,
          );
          openssl(
            'x509',
            '-req',
            '-in',
            'leaf.csr',
            '-CA',
            'issuer.crt',
            '-CAkey',
            'issuer.key',
            '-set_serial',
            `0x${randomBytes(8).toString('hex')}`,
            '-out',
            'leaf.crt',
            '-days',
            '30',
            '-extfile',
            'ext.cnf',
          );
          values.set(c.id, { crt: read(work, 'leaf.crt'), key: read(work, 'leaf.key') });
          break;
        }
      }
    }
    if (missing.length > 0)
      throw new ProcessModeError(`set these secrets in the environment: ${missing.join(', ')}`);
    return values;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function read(dir: string, file: string): string {
  return readFileSync(join(dir, file), 'utf8');
}
