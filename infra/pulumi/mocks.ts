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

/** Test values of the secrets a stack must be given (never real ones): `outpost:secrets`. */
export const TEST_SECRETS: Record<string, string> = {
  'prod-objstore-access-key': 'TESTACCESSKEY',
  'prod-objstore-secret-key': 'test-secret-key',
  slackWebhookUrl: 'https://hooks.slack.example/services/TEST',
};

/** What the providers would compute: generated secrets and certificates, made-up but well-formed. */
function computed(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
): Record<string, unknown> {
  const pem = (kind: string) => `-----BEGIN ${kind}-----\nmock ${name}\n-----END ${kind}-----\n`;
  switch (type) {
    case 'random:index/randomPassword:RandomPassword':
      return { ...inputs, result: `mock-${name}`.padEnd(32, '0') };
    case 'tls:index/privateKey:PrivateKey':
      return { ...inputs, privateKeyPem: pem('EC PRIVATE KEY'), publicKeyPem: pem('PUBLIC KEY') };
    case 'tls:index/selfSignedCert:SelfSignedCert':
    case 'tls:index/locallySignedCert:LocallySignedCert':
      return { ...inputs, certPem: pem('CERTIFICATE') };
    case 'tls:index/certRequest:CertRequest':
      return { ...inputs, certRequestPem: pem('CERTIFICATE REQUEST') };
    default:
      return inputs;
  }
}

/** Resource types the program may create; anything else fails the test (strict mocks). */
const KNOWN =
  /^(outpost:|kubernetes:|docker:|random:index\/randomPassword:|tls:index\/|pulumi:providers:kubernetes$)/;

/**
 * Strict Pulumi mocks: every resource is recorded (type, name, inputs), an unknown resource type
 * or any provider function call fails the test. A StackReference answers with the given outputs
 * of the referenced stacks. `config` adds or replaces `outpost:` keys (objects as JSON).
 */
export function setStrictMocks(
  stack: string,
  referenced: Record<string, Record<string, unknown>> = {},
  config: Record<string, unknown> = {},
): Recorded[] {
  const recorded: Recorded[] = [];
  const root = join(import.meta.dirname, '..', '..');
  const file = parse(readFileSync(join(root, `Pulumi.${stack}.yaml`), 'utf8')) as {
    config: Record<string, unknown>;
  };
  const all = Object.fromEntries(
    Object.entries({ ...file.config, ...config, 'outpost:secrets': TEST_SECRETS }).map(([k, v]) => [
      k,
      typeof v === 'string' ? v : JSON.stringify(v),
    ]),
  );
  pulumi.runtime.setAllConfig(all, ['outpost:secrets']);
  pulumi.runtime.setMocks(
    {
      newResource(args) {
        if (args.type !== 'pulumi:pulumi:StackReference' && !KNOWN.test(args.type))
          throw new Error(`unexpected resource type ${args.type} (${args.name})`);
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
          return { id: name, state: { name, outputs, secretOutputNames: ['federation'] } };
        }
        return { id: `${args.name}-id`, state: computed(args.type, args.name, args.inputs) };
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
