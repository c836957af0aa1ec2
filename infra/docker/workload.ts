import * as docker from '@pulumi/docker';
import * as pulumi from '@pulumi/pulumi';
import type { CredentialOutputs } from '../credentials.ts';
import type { Container, EnvValue, Probe, Workload } from '../plan/types.ts';

export interface DockerWorkloadArgs {
  workload: Workload;
  /** The image of each program, built or pulled once per stack by the caller. */
  images: (program: Container['program']) => pulumi.Input<string>;
  credentials: CredentialOutputs;
  /** Networks the workload joins (its plane's; the control plane's for collectors). */
  networks: pulumi.Input<string>[];
  /** Docker volumes by the plan's volume name. */
  volumes: Record<string, pulumi.Input<string>>;
}

/**
 * One workload of the plan on a Docker host: a container per plan container, the first named
 * after the workload and holding its network (the others join its network namespace, as a pod's
 * containers share one, so `127.0.0.1` means the same there), files uploaded where the plan
 * mounts them, ports published on 127.0.0.1.
 */
export class DockerWorkload extends pulumi.ComponentResource {
  readonly containers: docker.Container[] = [];

  constructor(name: string, args: DockerWorkloadArgs, opts?: pulumi.ComponentResourceOptions) {
    super('outpost:docker:Workload', name, {}, opts);
    const w = args.workload;
    const published = w.containers.flatMap((c) => c.ports.filter((p) => p.publish !== undefined));
    let first: docker.Container | null = null;
    for (const c of w.containers) {
      const containerName = first ? `${w.name}-${c.name}` : w.name;
      const container: docker.Container = new docker.Container(
        first ? `${name}-${c.name}` : name,
        {
          name: containerName,
          image: args.images(c.program),
          ...command(c),
          envs: Object.entries(c.env).map(([k, v]) => envEntry(k, v, w, args.credentials)),
          uploads: [
            ...c.files.map((f) => ({
              file: f.path,
              content:
                'content' in f
                  ? f.content
                  : secretOf(args.credentials, f.secret.credential, f.secret.key),
            })),
          ],
          volumes: c.mounts.map((m) => ({
            volumeName: args.volumes[m.volume]!,
            containerPath: m.path,
          })),
          ...(first
            ? { networkMode: pulumi.interpolate`container:${first.name}` }
            : {
                networksAdvanced: args.networks.map((n) => ({ name: n })),
                ports: published.map((p) => ({
                  internal: p.port,
                  external: p.publish!,
                  ip: '127.0.0.1',
                })),
              }),
          memory: megabytes(c.resources.memoryLimit),
          restart: 'unless-stopped',
          ...(c.readiness ? { healthcheck: healthcheck(c.program, c.readiness) } : {}),
          labels: w.plane
            ? Object.entries(w.plane).map(([label, value]) => ({
                label: `outpost.${label}`,
                value,
              }))
            : [],
        },
        { parent: this, ...(first ? { dependsOn: [first] } : {}) },
      );
      this.containers.push(container);
      first ??= container;
    }
    this.registerOutputs({ containers: this.containers.map((c) => c.name) });
  }
}

/** The program's arguments; the alert receiver's name its script for a Node image. */
function command(c: Container): { command?: string[] } {
  if (c.program === 'alert-receiver') return { command: ['node', ...c.args] };
  return c.args.length > 0 ? { command: c.args } : {};
}

function envEntry(
  key: string,
  value: EnvValue,
  w: Workload,
  credentials: CredentialOutputs,
): pulumi.Input<string> {
  if (typeof value === 'string') return `${key}=${value}`;
  if ('secret' in value)
    return pulumi.interpolate`${key}=${secretOf(credentials, value.secret.credential, value.secret.key)}`;
  // One container per replica on Docker: the workload's name is the replica's.
  return `${key}=${value.pod === 'name' ? w.name : '0.0.0.0'}`;
}

function secretOf(
  credentials: CredentialOutputs,
  id: string,
  key: 'value' | 'crt' | 'key',
): pulumi.Output<string> {
  const value = credentials.get(id)?.[key];
  if (!value) throw new Error(`credential ${id} has no ${key}`);
  return value;
}

/** Images' own tools for a health check: Node's fetch in ours, busybox wget upstream. */
function healthcheck(program: Container['program'], probe: Probe) {
  const url = `http://127.0.0.1:${probe.port}${probe.path}`;
  const tests =
    program === 'api' || program === 'dashboard' || program === 'alert-receiver'
      ? ['CMD', 'node', '-e', `fetch('${url}').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`]
      : program === 'otelcol'
        ? null // distroless: no shell, no client; Docker restarts it when it exits
        : ['CMD', 'wget', '-q', '-O', '-', url];
  return tests
    ? { tests, interval: `${probe.periodSeconds}s`, timeout: '3s', retries: 3 }
    : undefined;
}

function megabytes(quantity: string): number {
  const match = /^(\d+)(Mi|Gi)$/.exec(quantity);
  if (!match) throw new Error(`memory ${quantity}: expected Mi or Gi`);
  return Number(match[1]) * (match[2] === 'Gi' ? 1024 : 1);
}
