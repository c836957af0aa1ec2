import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { CredentialOutputs } from '../credentials.ts';
import { imageOf } from '../images.ts';
import { CONFIG_DIR, SECRETS_DIR } from '../plan/paths.ts';
import type { Container, EnvValue, SecretRef, ServiceSpec, Workload } from '../plan/types.ts';
import { checksum, CONTAINER_SECURITY, podLabels, POD_SECURITY } from './common.ts';

export interface KubernetesWorkloadArgs {
  workload: Workload;
  /** Its Service (headless or not) from the plan. */
  service: ServiceSpec;
  /** Every credential's values; the workload's Secret holds the ones it reads. */
  credentials: CredentialOutputs;
  /** Registry of the images built from this repository. */
  registry?: string;
}

/** A credential value's key in the workload's Secret (`<credential>.<key>`). */
const secretKey = (ref: SecretRef) => `${ref.credential}.${ref.key}`;
/** A config file's key in the ConfigMap (keys cannot hold `/`; items put it back). */
const configKey = (path: string) => path.slice(CONFIG_DIR.length + 1).replaceAll('/', '__');

/**
 * One workload of the plan on Kubernetes: its config files as a ConfigMap and its secrets as a
 * Secret (both mounted where the plan says, read-only), a Deployment or a StatefulSet with
 * probes, limits and restricted security, its Service, and a PodDisruptionBudget when it has
 * more than one replica (one replica cannot be kept up through a drain anyway).
 */
export class KubernetesWorkload extends pulumi.ComponentResource {
  constructor(name: string, args: KubernetesWorkloadArgs, opts?: pulumi.ComponentResourceOptions) {
    super('outpost:kubernetes:Workload', name, {}, opts);
    const w = args.workload;
    const child = { parent: this };
    const labels = podLabels(w.app, w.plane);
    const meta = (suffix = '') => ({ name: `${w.name}${suffix}`, namespace: w.namespace, labels });

    const files = w.containers.flatMap((c) => c.files);
    const configFiles = files.filter((f): f is { path: string; content: string } => 'content' in f);
    for (const f of configFiles)
      if (!f.path.startsWith(`${CONFIG_DIR}/`))
        throw new Error(`${w.name}: config file ${f.path} outside ${CONFIG_DIR}`);
    const refs = new Map<string, SecretRef>();
    for (const c of w.containers) {
      for (const f of c.files) if ('secret' in f) refs.set(secretKey(f.secret), f.secret);
      for (const v of Object.values(c.env))
        if (typeof v === 'object' && 'secret' in v) refs.set(secretKey(v.secret), v.secret);
    }
    const config =
      configFiles.length > 0
        ? new k8s.core.v1.ConfigMap(
            `${name}-config`,
            {
              metadata: meta('-config'),
              data: Object.fromEntries(configFiles.map((f) => [configKey(f.path), f.content])),
            },
            child,
          )
        : null;
    const secret =
      refs.size > 0
        ? new k8s.core.v1.Secret(
            `${name}-secrets`,
            {
              metadata: meta('-secrets'),
              stringData: Object.fromEntries(
                [...refs].map(([key, ref]) => {
                  const value = args.credentials.get(ref.credential)?.[ref.key];
                  if (!value)
                    throw new Error(`${w.name}: credential ${ref.credential} has no ${ref.key}`);
                  return [key, value];
                }),
              ),
            },
            child,
          )
        : null;

    const volumes = [
      ...(config
        ? [
            {
              name: 'config',
              configMap: {
                name: config.metadata.name,
                items: configFiles.map((f) => ({
                  key: configKey(f.path),
                  path: f.path.slice(CONFIG_DIR.length + 1),
                })),
              },
            },
          ]
        : []),
      ...(secret
        ? [
            {
              name: 'secrets',
              secret: {
                secretName: secret.metadata.name,
                defaultMode: 0o440,
                items: files.flatMap((f) =>
                  'secret' in f
                    ? [{ key: secretKey(f.secret), path: f.path.slice(SECRETS_DIR.length + 1) }]
                    : [],
                ),
              },
            },
          ]
        : []),
      ...w.volumes
        .filter((v) => v.kind === 'scratch' || (v.kind === 'data' && w.kind !== 'statefulset'))
        .map((v) => ({ name: v.name, emptyDir: { sizeLimit: v.size } })),
    ];
    if (w.volumes.some((v) => v.kind === 'shared'))
      throw new Error(
        `${w.name}: a shared filesystem volume needs one host; on Kubernetes use an object store`,
      );
    const secretFiles = files.some((f) => 'secret' in f);
    const container = (c: Container) => ({
      name: c.name,
      image: imageOf(c.program, args.registry),
      ...(c.args.length > 0 ? { args: c.args } : {}),
      env: Object.entries(c.env).map(([envName, value]) => envVar(envName, value, secret)),
      ports: c.ports.map((p) => ({ name: p.name, containerPort: p.port })),
      ...(c.readiness ? { readinessProbe: probe(c.readiness) } : {}),
      ...(c.liveness ? { livenessProbe: probe(c.liveness) } : {}),
      resources: {
        requests: { cpu: c.resources.cpu, memory: c.resources.memory },
        limits: { cpu: c.resources.cpuLimit, memory: c.resources.memoryLimit },
      },
      securityContext: CONTAINER_SECURITY,
      volumeMounts: [
        ...(config ? [{ name: 'config', mountPath: CONFIG_DIR, readOnly: true }] : []),
        ...(secretFiles ? [{ name: 'secrets', mountPath: SECRETS_DIR, readOnly: true }] : []),
        ...c.mounts.map((m) => ({ name: m.volume, mountPath: m.path })),
      ],
    });
    const template = {
      metadata: {
        labels,
        annotations: checksum(...configFiles.map((f) => f.content), ...refs.keys()),
      },
      spec: { securityContext: POD_SECURITY, containers: w.containers.map(container), volumes },
    };
    const selector = { matchLabels: labels };
    if (w.kind === 'statefulset') {
      new k8s.apps.v1.StatefulSet(
        name,
        {
          metadata: meta(),
          spec: {
            serviceName: w.serviceName!,
            replicas: w.replicas,
            // Replicas are peers (Prometheus pair, Alertmanager pair): start them together.
            podManagementPolicy: 'Parallel',
            selector,
            template,
            volumeClaimTemplates: w.volumes
              .filter((v) => v.kind === 'data')
              .map((v) => ({
                metadata: { name: v.name },
                spec: {
                  accessModes: ['ReadWriteOnce'],
                  resources: { requests: { storage: v.size } },
                },
              })),
          },
        },
        child,
      );
    } else {
      new k8s.apps.v1.Deployment(
        name,
        {
          metadata: meta(),
          spec: {
            replicas: w.replicas,
            // Never two at once (a compactor over its bucket): stop the old pod first.
            ...(w.singleton ? { strategy: { type: 'Recreate' } } : {}),
            selector,
            template,
          },
        },
        child,
      );
    }
    new k8s.core.v1.Service(
      name,
      {
        metadata: { ...meta(), name: args.service.name },
        spec: {
          // Peers of a pair find each other before they are ready.
          ...(args.service.headless
            ? { clusterIP: 'None', publishNotReadyAddresses: w.kind === 'statefulset' }
            : {}),
          selector: labels,
          ports: args.service.ports.map((p) => ({
            name: p.name,
            port: p.port,
            targetPort: p.port,
          })),
        },
      },
      child,
    );
    if (w.replicas > 1 && !w.singleton) {
      new k8s.policy.v1.PodDisruptionBudget(
        `${name}-pdb`,
        { metadata: meta(), spec: { maxUnavailable: 1, selector } },
        child,
      );
    }
    this.registerOutputs({});
  }
}

function envVar(name: string, value: EnvValue, secret: k8s.core.v1.Secret | null) {
  if (typeof value === 'string') return { name, value };
  if ('secret' in value)
    return {
      name,
      valueFrom: { secretKeyRef: { name: secret!.metadata.name, key: secretKey(value.secret) } },
    };
  return {
    name,
    valueFrom: { fieldRef: { fieldPath: value.pod === 'name' ? 'metadata.name' : 'status.podIP' } },
  };
}

function probe(p: NonNullable<Container['readiness']>) {
  return {
    httpGet: { path: p.path, port: p.port, scheme: p.scheme ?? 'HTTP' },
    periodSeconds: p.periodSeconds,
    timeoutSeconds: 3,
    failureThreshold: 3,
  };
}
