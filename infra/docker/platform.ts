import * as docker from '@pulumi/docker';
import * as pulumi from '@pulumi/pulumi';
import type { CredentialOutputs } from '../credentials.ts';
import { APP_VERSION, BUILT_IMAGES, imageOf, type BuiltProgram } from '../images.ts';
import type { Plan, Program } from '../plan/types.ts';
import { DockerWorkload } from './workload.ts';

export interface DockerPlatformArgs {
  plan: Plan;
  credentials: CredentialOutputs;
  /** The repository root: the build context of the images built from it. */
  repoRoot: string;
}

/**
 * The plan on one Docker host: a network per namespace of the plan (each data plane's, the
 * control plane's), its volumes, our images built from this repository and the upstream ones
 * pulled at the pinned versions, and a DockerWorkload per workload.
 */
export class DockerPlatform extends pulumi.ComponentResource {
  readonly workloads: DockerWorkload[] = [];

  constructor(name: string, args: DockerPlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super('outpost:docker:Platform', name, {}, opts);
    const { plan } = args;
    const child = { parent: this };
    const networks = Object.fromEntries(
      plan.namespaces.map((ns) => [
        ns.name,
        new docker.Network(`${ns.name}-net`, { name: `${ns.name}-net`, driver: 'bridge' }, child)
          .name,
      ]),
    );
    const control = plan.topology.controlPlane?.namespace;

    const images = new Map<Program, pulumi.Input<string>>();
    const imageFor = (program: Program): pulumi.Input<string> => {
      if (!images.has(program)) {
        const ref = imageOf(program);
        const built = (BUILT_IMAGES as Record<string, string>)[program];
        images.set(
          program,
          built
            ? new docker.Image(
                `${name}-${program}-image`,
                {
                  imageName: ref,
                  build: {
                    context: args.repoRoot,
                    dockerfile: `${args.repoRoot}/${built}`,
                    platform: 'linux/amd64',
                  },
                  skipPush: true,
                },
                child,
              ).repoDigest.apply((digest) => digest || ref)
            : new docker.RemoteImage(
                `${name}-${program}-image`,
                { name: ref, keepLocally: true },
                child,
              ).imageId,
        );
      }
      return images.get(program)!;
    };

    const volumes: Record<string, Record<string, pulumi.Input<string>>> = {};
    const shared = new Map<string, pulumi.Input<string>>();
    for (const w of plan.workloads) {
      volumes[w.name] = Object.fromEntries(
        w.volumes.map((v) => {
          if (v.kind !== 'shared')
            return [
              v.name,
              new docker.Volume(`${w.name}-${v.name}`, { name: `${w.name}-${v.name}` }, child).name,
            ];
          if (!shared.has(v.name))
            shared.set(
              v.name,
              new docker.Volume(
                `${plan.stack}-${v.name}`,
                { name: `${plan.stack}-${v.name}` },
                child,
              ).name,
            );
          return [v.name, shared.get(v.name)!];
        }),
      );
    }

    for (const w of plan.workloads) {
      // A collector is reached from the control plane (scrapes) or reaches it (pushes).
      const crossing = w.app === 'collector' && control !== undefined;
      this.workloads.push(
        new DockerWorkload(
          w.name,
          {
            workload: w,
            images: imageFor,
            credentials: args.credentials,
            networks: [networks[w.namespace]!, ...(crossing ? [networks[control]!] : [])],
            volumes: volumes[w.name]!,
          },
          child,
        ),
      );
    }
    this.registerOutputs({ version: APP_VERSION });
  }
}

export type { BuiltProgram };
