import { randomBytes } from 'node:crypto';
import type { Credential } from '../plan/types.ts';
import { makeCredentials, secretVariable } from '../process/credentials.ts';
import { TEST_SECRETS } from '../pulumi/mocks.ts';

/**
 * The `outpost:secrets` a render run supplies, by id: `<id>` for a token or external secret,
 * `<id>.crt` and `<id>.key` for a CA or certificate (infra/credentials.ts). Every credential of
 * the plan that is not imported from another stack is supplied, so the program creates no
 * `@pulumi/random` or `@pulumi/tls` resource (their providers cannot be built here). Real
 * values: random tokens and an openssl CA signing the certificates (process mode's
 * makeCredentials); the external ones get the mock tests' values (never real ones).
 */
export function suppliedSecrets(credentials: Credential[]): Record<string, string> {
  const own = credentials.filter((c) => c.kind !== 'imported');
  const env = Object.fromEntries(
    own
      .filter((c) => c.kind === 'external')
      .map((c) => [secretVariable(c.id), TEST_SECRETS[c.id] ?? randomBytes(24).toString('hex')]),
  );
  const values = makeCredentials(own, env);
  const supplied: Record<string, string> = {};
  for (const c of own) {
    const value = values.get(c.id)!;
    if (c.kind === 'ca' || c.kind === 'cert') {
      supplied[`${c.id}.crt`] = value.crt!;
      supplied[`${c.id}.key`] = value.key!;
    } else supplied[c.id] = value.value!;
  }
  return supplied;
}

/** The config path of one supplied secret (ids hold dots: `prod-ca.crt`). */
export const secretPath = (id: string) => `outpost:secrets["${id}"]`;
