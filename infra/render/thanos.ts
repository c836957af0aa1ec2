import type { Topology } from '../topology.ts';
import { toYaml } from './template.ts';

export interface ObjstoreSecrets {
  accessKey: string;
  secretKey: string;
}

/**
 * Thanos object-store config: a filesystem bucket on Docker (one host, one volume), S3 on
 * Kubernetes with credentials from Pulumi secret config (the rendered text goes into a Secret).
 */
export function renderThanosObjstore(topology: Topology, secrets?: ObjstoreSecrets): string {
  const thanos = topology.config.controlPlane?.thanos;
  if (!thanos?.enabled) throw new Error(`stack ${topology.stack} does not enable Thanos`);
  const doc =
    thanos.objstore === 'filesystem'
      ? { type: 'FILESYSTEM', config: { directory: '/thanos/bucket' } }
      : {
          type: 'S3',
          config: {
            bucket: thanos.bucket,
            endpoint: thanos.endpoint,
            access_key: secrets?.accessKey ?? '',
            secret_key: secrets?.secretKey ?? '',
          },
        };
  return toYaml(doc, `Thanos object store for stack ${topology.stack}`);
}
