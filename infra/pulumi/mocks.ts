import * as pulumi from '@pulumi/pulumi';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export interface Recorded {
  type: string;
  name: string;
  /** Inputs with secret values unwrapped, for assertions on content. */
  inputs: Record<string, unknown>;
  /** Inputs as the engine sent them: secrets still wrapped (see isSecretValue). */
  raw: Record<string, unknown>;
}

/** The engine's marker of a secret value inside serialized inputs. */
const SECRET_SIG = '4dabf18193072939515e22adb298388d';

export function isSecretValue(value: unknown): boolean {
  return typeof value === 'object' && value !== null && SECRET_SIG in value;
}

function unwrap(value: unknown): unknown {
  if (isSecretValue(value)) return unwrap((value as { value: unknown }).value);
  if (Array.isArray(value)) return value.map(unwrap);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrap(v)]));
  return value;
}

/** Test values of the secrets each stack needs (never real ones). */
export const TEST_SECRETS: Record<string, string> = {
  'outpost:adminToken': 'test-admin-token-0123456789',
  'outpost:objstoreAccessKey': 'TESTACCESSKEY',
  'outpost:objstoreSecretKey': 'test-secret-key',
  'outpost:dashboardPassword': 'test-password',
  'outpost:dashboardSessionSecret': 's'.repeat(40),
  'outpost:remoteWriteToken': 'test-remote-write-token',
  'outpost:scrapeToken': 'test-scrape-token',
  'outpost:scrapeTlsCert': '-----BEGIN CERTIFICATE-----\ntest\n-----END CERTIFICATE-----',
  'outpost:scrapeTlsKey': '-----BEGIN PRIVATE KEY-----\ntest\n-----END PRIVATE KEY-----',
  'outpost:scrapeTlsCa': '-----BEGIN CERTIFICATE-----\ntest CA\n-----END CERTIFICATE-----',
};

/**
 * Strict Pulumi mocks: every resource is recorded (type, name, inputs); any provider function
 * call fails the test, since the program must not depend on one. A StackReference answers with
 * the given outputs of the referenced stacks.
 */
export function setStrictMocks(
  stack: string,
  referenced: Record<string, Record<string, unknown>> = {},
): Recorded[] {
  const recorded: Recorded[] = [];
  const root = join(import.meta.dirname, '..', '..');
  const file = parse(readFileSync(join(root, `Pulumi.${stack}.yaml`), 'utf8')) as {
    config: Record<string, unknown>;
  };
  const config = Object.fromEntries(
    Object.entries({ ...file.config, ...TEST_SECRETS }).map(([k, v]) => [
      k,
      typeof v === 'string' ? v : JSON.stringify(v),
    ]),
  );
  pulumi.runtime.setAllConfig(config, Object.keys(TEST_SECRETS));
  pulumi.runtime.setMocks(
    {
      newResource(args) {
        recorded.push({
          type: args.type,
          name: args.name,
          inputs: unwrap(args.inputs) as Record<string, unknown>,
          raw: args.inputs,
        });
        if (args.type === 'pulumi:pulumi:StackReference') {
          const name = String(args.inputs.name);
          const outputs = referenced[name];
          if (!outputs) throw new Error(`unexpected StackReference to ${name}`);
          return { id: name, state: { name, outputs, secretOutputNames: [] } };
        }
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call(args) {
        throw new Error(`unexpected provider call ${args.token}`);
      },
    },
    'outpost',
    stack,
    false,
    'organization',
  );
  return recorded;
}

/** The value inside an Output, and whether it is marked secret. */
export async function resolve<T>(output: pulumi.Output<T>): Promise<{ value: T; secret: boolean }> {
  const value = await new Promise<T>((r) => output.apply((v) => r(v)));
  const secret = await (output as unknown as { isSecret: Promise<boolean> }).isSecret;
  return { value, secret };
}

/** Waits until the program has registered its resources (the engine is asynchronous). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await new Promise((r) => setTimeout(r, 20));
}

export const ofType = (recorded: Recorded[], type: string) =>
  recorded.filter((r) => r.type === type);
export const named = (recorded: Recorded[], type: string, name: string) => {
  const found = recorded.find((r) => r.type === type && r.name === name);
  if (!found)
    throw new Error(
      `no ${type} named ${name}; have ${recorded
        .filter((r) => r.type === type)
        .map((r) => r.name)
        .join(', ')}`,
    );
  return found;
};
