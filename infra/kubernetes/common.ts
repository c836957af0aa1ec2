import { createHash } from 'node:crypto';
import type * as k8s from '@pulumi/kubernetes';
import type { PlaneLabels } from '@outpost/outputs';

/** Restricted pod security: non-root, no privilege escalation, the runtime's seccomp profile. */
export const POD_SECURITY = {
  runAsNonRoot: true,
  runAsUser: 65532,
  runAsGroup: 65532,
  fsGroup: 65532,
  seccompProfile: { type: 'RuntimeDefault' },
} satisfies k8s.types.input.core.v1.PodSecurityContext;

export const CONTAINER_SECURITY = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
} satisfies k8s.types.input.core.v1.SecurityContext;

/** Namespaces enforce the restricted Pod Security Standard the workloads are written to. */
export const POD_SECURITY_LABELS = {
  'pod-security.kubernetes.io/enforce': 'restricted',
  'pod-security.kubernetes.io/warn': 'restricted',
  'pod-security.kubernetes.io/audit': 'restricted',
};

/** Annotation whose change rolls the pods when their config changes (never stale config). */
export function checksum(...contents: string[]): Record<string, string> {
  return {
    'outpost.dev/config-checksum': createHash('sha256')
      .update(contents.join('\n---\n'))
      .digest('hex')
      .slice(0, 16),
  };
}

/** Labels of an app; a data plane's also carry its identity (selectors use all of them). */
export function podLabels(app: string, plane?: PlaneLabels): Record<string, string> {
  return {
    'app.kubernetes.io/name': app,
    'app.kubernetes.io/part-of': 'outpost',
    ...(plane ? planeLabels(plane) : {}),
  };
}

export function planeLabels(plane: PlaneLabels): Record<string, string> {
  return {
    'outpost.dev/customer': plane.customer,
    'outpost.dev/environment': plane.environment,
    'outpost.dev/data-plane': plane.data_plane,
  };
}
