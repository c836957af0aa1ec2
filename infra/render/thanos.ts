import type { ControlPlaneConfig } from '../config.ts';
import { toYaml } from './template.ts';

/**
 * Thanos object-store config: a filesystem bucket shared on one host (process mode, Docker), or
 * S3. S3 credentials are not written here: Thanos reads AWS_ACCESS_KEY_ID and
 * AWS_SECRET_ACCESS_KEY from the environment, which the plan fills from secrets.
 */
export function renderThanosObjstore(
  stack: string,
  thanos: ControlPlaneConfig['thanos'],
  bucketDir: string,
): string {
  const doc =
    thanos.objstore === 'filesystem'
      ? { type: 'FILESYSTEM', config: { directory: bucketDir } }
      : { type: 'S3', config: { bucket: thanos.bucket, endpoint: thanos.endpoint } };
  return toYaml(doc, `Thanos object store for stack ${stack}`);
}
