import { createHash } from 'node:crypto';
import type * as k8s from '@pulumi/kubernetes';

/** Restricted pod security: non-root, read-only root filesystem, no privilege escalation. */
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

/** An HTTP probe on a path and port. */
export function httpProbe(path: string, port: number, periodSeconds = 10) {
  return { httpGet: { path, port }, periodSeconds, timeoutSeconds: 3, failureThreshold: 3 };
}

/** Annotation whose change rolls the pods when their config changes (never stale config). */
export function checksum(...contents: string[]): Record<string, string> {
  return {
    'outpost.dev/config-checksum': createHash('sha256')
      .update(contents.join('\n---\n'))
      .digest('hex')
      .slice(0, 16),
  };
}

export function labels(app: string, extra: Record<string, string> = {}): Record<string, string> {
  return { 'app.kubernetes.io/name': app, 'app.kubernetes.io/part-of': 'outpost', ...extra };
}
