import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';
import * as tls from '@pulumi/tls';
import type { Credential, SecretRef } from './plan/types.ts';

export type CredentialOutputs = Map<
  string,
  Partial<Record<SecretRef['key'], pulumi.Output<string>>>
>;

export interface StackCredentialsArgs {
  /** What the plan needs. */
  credentials: Credential[];
  /**
   * Values the stack's `outpost:secrets` supplies (they win): `<id>` for a token or external
   * secret, `<id>.crt` and `<id>.key` for a CA or certificate.
   */
  supplied: Record<string, pulumi.Output<string>>;
  /** Values read from the stacks this one watches (their `federation` output). */
  imported: Record<string, pulumi.Output<string>>;
}

/** Validity of generated certificates; renewed by `pulumi up` within the early-renewal window. */
const CERT_HOURS = 24 * 365;

/**
 * Every credential of a stack as secret Outputs: generated with the ecosystem's providers
 * (`@pulumi/random` tokens, a `@pulumi/tls` CA signing the serving certificates) unless the
 * stack supplies its own; external ones must be supplied; imported ones come from other stacks.
 */
export class StackCredentials extends pulumi.ComponentResource {
  readonly values: CredentialOutputs = new Map();

  constructor(name: string, args: StackCredentialsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('outpost:stack:Credentials', name, {}, opts);
    const child = { parent: this };
    const missing: string[] = [];
    const given = (key: string) => args.supplied[key];
    for (const c of args.credentials) {
      switch (c.kind) {
        case 'token': {
          const value =
            given(c.id) ??
            new random.RandomPassword(`${name}-${c.id}`, { length: 32, special: false }, child)
              .result;
          this.values.set(c.id, { value: pulumi.secret(value) });
          break;
        }
        case 'external': {
          const value = given(c.id);
          if (value) this.values.set(c.id, { value: pulumi.secret(value) });
          else missing.push(`${c.id} (${c.description})`);
          break;
        }
        case 'imported': {
          const crt = args.imported[`${c.id}.crt`];
          const value = args.imported[c.id];
          if (!crt && !value)
            missing.push(`${c.id} (${c.description}; run \`pulumi up -s ${c.from}\` first)`);
          this.values.set(c.id, {
            ...(value ? { value: pulumi.secret(value) } : {}),
            ...(crt ? { crt } : {}),
          });
          break;
        }
        case 'ca': {
          if (given(`${c.id}.crt`) && given(`${c.id}.key`)) {
            this.values.set(c.id, {
              crt: given(`${c.id}.crt`)!,
              key: pulumi.secret(given(`${c.id}.key`)!),
            });
            break;
          }
          const key = new tls.PrivateKey(
            `${name}-${c.id}-key`,
            { algorithm: 'ECDSA', ecdsaCurve: 'P256' },
            child,
          );
          const cert = new tls.SelfSignedCert(
            `${name}-${c.id}`,
            {
              privateKeyPem: key.privateKeyPem,
              isCaCertificate: true,
              validityPeriodHours: CERT_HOURS * 5,
              earlyRenewalHours: CERT_HOURS,
              allowedUses: ['cert_signing', 'crl_signing'],
              subject: { commonName: c.commonName, organization: 'outpost' },
            },
            child,
          );
          this.values.set(c.id, { crt: cert.certPem, key: pulumi.secret(key.privateKeyPem) });
          break;
        }
        case 'cert': {
          if (given(`${c.id}.crt`) && given(`${c.id}.key`)) {
            this.values.set(c.id, {
              crt: given(`${c.id}.crt`)!,
              key: pulumi.secret(given(`${c.id}.key`)!),
            });
            break;
          }
          const ca = this.values.get(c.ca);
          if (!ca?.crt || !ca.key)
            throw new Error(`credential ${c.id}: its CA ${c.ca} comes later in the plan`);
          const key = new tls.PrivateKey(
            `${name}-${c.id}-key`,
            { algorithm: 'ECDSA', ecdsaCurve: 'P256' },
            child,
          );
          const request = new tls.CertRequest(
            `${name}-${c.id}-csr`,
            {
              privateKeyPem: key.privateKeyPem,
              subject: { commonName: c.commonName, organization: 'outpost' },
              dnsNames: c.dnsNames,
              ipAddresses: c.ipAddresses,
            },
            child,
          );
          const cert = new tls.LocallySignedCert(
            `${name}-${c.id}`,
            {
              certRequestPem: request.certRequestPem,
              caPrivateKeyPem: ca.key,
              caCertPem: ca.crt,
              validityPeriodHours: CERT_HOURS,
              earlyRenewalHours: CERT_HOURS / 4,
              allowedUses: ['digital_signature', 'key_encipherment', 'server_auth'],
            },
            child,
          );
          this.values.set(c.id, { crt: cert.certPem, key: pulumi.secret(key.privateKeyPem) });
          break;
        }
      }
    }
    if (missing.length > 0) {
      throw new Error(
        `stack ${pulumi.getStack()} needs these secrets: ${missing.join(', ')}. Set each with ` +
          "`pulumi config set --secret --path 'outpost:secrets.<id>' <value>` (docs/deploy.md).",
      );
    }
    this.registerOutputs({});
  }

  /** One value of a credential; the plan only references what it declares. */
  get(ref: SecretRef): pulumi.Output<string> {
    const value = this.values.get(ref.credential)?.[ref.key];
    if (!value) throw new Error(`credential ${ref.credential} has no ${ref.key}`);
    return value;
  }
}
