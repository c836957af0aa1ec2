import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { CredentialOutputs } from '../credentials.ts';
import { CONTROL_PLANE_NAMESPACE_LABEL } from '../plan/data-plane.ts';
import type { NetworkRule, Plan, Workload } from '../plan/types.ts';
import { planeLabels, podLabels, POD_SECURITY_LABELS } from './common.ts';
import { KubernetesWorkload } from './workload.ts';

export interface KubernetesPlatformArgs {
  plan: Plan;
  credentials: CredentialOutputs;
  /** Registry of the images built from this repository. */
  registry?: string;
}

/**
 * The plan on Kubernetes: a DataPlane component per data plane and one ControlPlane, each a
 * namespace (restricted Pod Security) holding its workloads and the NetworkPolicies of its
 * rules. The provider is injected (`opts.providers` / `opts.provider`), so the stack decides
 * which cluster, or YAML rendering (`outpost:renderYamlTo`).
 */
export class KubernetesPlatform extends pulumi.ComponentResource {
  constructor(name: string, args: KubernetesPlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super('outpost:kubernetes:Platform', name, {}, opts);
    const { plan } = args;
    for (const ns of plan.namespaces) {
      const type = ns.plane ? 'DataPlane' : 'ControlPlane';
      new KubernetesNamespace(ns.name, { ...args, namespace: ns.name, type }, { parent: this });
    }
    this.registerOutputs({});
  }
}

interface NamespaceArgs extends KubernetesPlatformArgs {
  namespace: string;
  type: 'DataPlane' | 'ControlPlane';
}

/** One namespace of the plan (a data plane, or the control plane) with all it holds. */
class KubernetesNamespace extends pulumi.ComponentResource {
  constructor(name: string, args: NamespaceArgs, opts?: pulumi.ComponentResourceOptions) {
    super(`outpost:kubernetes:${args.type}`, name, {}, opts);
    const { plan } = args;
    const spec = plan.namespaces.find((n) => n.name === args.namespace)!;
    const namespace = new k8s.core.v1.Namespace(
      `${name}-ns`,
      {
        metadata: {
          name: spec.name,
          labels: {
            ...POD_SECURITY_LABELS,
            ...(spec.plane ? planeLabels(spec.plane) : CONTROL_PLANE_NAMESPACE_LABEL),
          },
        },
      },
      { parent: this },
    );
    const inNamespace = { parent: this, dependsOn: [namespace] };
    const workloads = plan.workloads.filter((w) => w.namespace === spec.name);
    for (const w of workloads) {
      new KubernetesWorkload(
        w.name,
        {
          workload: w,
          service: plan.services.find((s) => s.name === w.name && s.namespace === w.namespace)!,
          credentials: args.credentials,
          ...(args.registry ? { registry: args.registry } : {}),
        },
        inNamespace,
      );
    }
    for (const [target, rules] of groupRules(
      plan.networkRules.filter((r) => r.namespace === spec.name),
    )) {
      const w = workloads.find((x) => x.app === rules[0]!.to.app);
      if (!w) throw new Error(`network rule for ${target}: no such workload in ${spec.name}`);
      new k8s.networking.v1.NetworkPolicy(
        `${w.name}-ingress`,
        networkPolicy(w, rules),
        inNamespace,
      );
    }
    this.registerOutputs({ namespace: namespace.metadata.name });
  }
}

/** Rules by the workload they protect. */
function groupRules(rules: NetworkRule[]): Map<string, NetworkRule[]> {
  const groups = new Map<string, NetworkRule[]>();
  for (const r of rules) {
    const key = `${r.to.app}/${r.to.plane?.data_plane ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return groups;
}

/** Ingress to a workload only from the peers its rules name, only on the ports they open. */
function networkPolicy(w: Workload, rules: NetworkRule[]): k8s.networking.v1.NetworkPolicyArgs {
  return {
    metadata: {
      name: `${w.name}-ingress`,
      namespace: w.namespace,
      labels: podLabels(w.app, w.plane),
      annotations: { 'outpost.dev/why': rules.map((r) => r.why).join('; ') },
    },
    spec: {
      podSelector: { matchLabels: podLabels(w.app, w.plane) },
      policyTypes: ['Ingress'],
      ingress: rules.map((r) => ({
        ...(r.from === 'anywhere'
          ? {}
          : {
              from: [
                {
                  namespaceSelector: {
                    matchLabels:
                      'controlPlanes' in r.from
                        ? CONTROL_PLANE_NAMESPACE_LABEL
                        : { 'kubernetes.io/metadata.name': r.from.namespace },
                  },
                  podSelector: { matchLabels: { 'app.kubernetes.io/name': r.from.app } },
                },
              ],
            }),
        ports: r.ports.map((port) => ({ port, protocol: 'TCP' })),
      })),
    },
  };
}
