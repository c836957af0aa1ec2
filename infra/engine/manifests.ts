import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ROOT_PATTERN } from '../plan/paths.ts';
import { validateK8s } from '../pulumi/k8s-schema.ts';

/** A Kubernetes object as the provider rendered it (`renderYamlToDirectory`). */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
  /** The file it came from, relative to the render dir. */
  file: string;
}

/** Every object of every YAML file under a render dir (`0-crd/`, `1-manifest/`). */
export function readManifests(dir: string): Manifest[] {
  const manifests: Manifest[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d).sort()) {
      const path = join(d, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(entry))
        for (const doc of parseAllDocuments(readFileSync(path, 'utf8'))) {
          const object = doc.toJS() as Manifest | null;
          if (object) manifests.push({ ...object, file: relative(dir, path) });
        }
    }
  };
  walk(dir);
  return manifests;
}

/** The Pulumi type token of a manifest: `apps/v1` + Deployment -> kubernetes:apps/v1:Deployment. */
export function typeToken(apiVersion: string, kind: string): string {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['core', apiVersion];
  return `kubernetes:${group}/${version}:${kind}`;
}

/** `Kind namespace/name`: how the comparison with the mock run names an object. */
export const objectKey = (kind: string, name: string, namespace?: string) =>
  `${kind} ${namespace ? `${namespace}/` : ''}${name}`;

/** Validates a manifest against the Kubernetes OpenAPI schema, as the mock tests do. */
export async function validateManifest(manifest: Manifest): Promise<void> {
  const { apiVersion, kind, file, ...inputs } = manifest;
  void file;
  await validateK8s({
    type: typeToken(apiVersion, kind),
    name: manifest.metadata.name,
    inputs: { apiVersion, kind, ...inputs },
    raw: {},
  });
}

type Volume = {
  name: string;
  configMap?: { name: string; items?: Array<{ key: string; path: string }> };
  secret?: { secretName: string; items?: Array<{ key: string; path: string }> };
};
type PodSpec = {
  containers: Array<{ name: string; volumeMounts?: Array<{ name: string; mountPath: string }> }>;
  volumes?: Volume[];
};

/**
 * The files each workload's containers read (its ConfigMap and Secret volumes), written under
 * `dir/<namespace>/<workload>/` with the mount root `/outpost` mapped there in paths and contents,
 * as process mode lays them out, so promtool and amtool can check them. Secret values are taken
 * from the rendered Secret (`stringData`, or base64 `data`).
 */
export function layOutWorkloads(manifests: Manifest[], dir: string): string[] {
  const find = (kind: string, namespace: string | undefined, name: string) =>
    manifests.find(
      (m) => m.kind === kind && m.metadata.name === name && m.metadata.namespace === namespace,
    );
  const roots: string[] = [];
  for (const m of manifests) {
    if (m.kind !== 'Deployment' && m.kind !== 'StatefulSet') continue;
    const pod = (m.spec as { template: { spec: PodSpec } }).template.spec;
    const root = join(dir, m.metadata.namespace ?? 'default', m.metadata.name);
    roots.push(root);
    for (const container of pod.containers)
      for (const mount of container.volumeMounts ?? []) {
        const volume = pod.volumes?.find((v) => v.name === mount.name);
        const source = volume?.configMap
          ? {
              items: volume.configMap.items,
              values: stringValues(find('ConfigMap', m.metadata.namespace, volume.configMap.name)),
            }
          : volume?.secret
            ? {
                items: volume.secret.items,
                values: stringValues(
                  find('Secret', m.metadata.namespace, volume.secret.secretName),
                ),
              }
            : null;
        if (!source) continue;
        const items = source.items ?? Object.keys(source.values).map((key) => ({ key, path: key }));
        for (const item of items) {
          const text = source.values[item.key];
          if (text === undefined)
            throw new Error(`${m.kind} ${m.metadata.name}: ${mount.name} has no key ${item.key}`);
          const path = `${mount.mountPath}/${item.path}`.replace(ROOT_PATTERN, root);
          mkdirSync(dirname(path), { recursive: true });
          writeFileSync(path, text.replace(ROOT_PATTERN, root));
        }
      }
  }
  return roots;
}

/** A ConfigMap's data, or a Secret's values (stringData as is, data decoded). */
function stringValues(object: Manifest | undefined): Record<string, string> {
  if (!object) return {};
  const decoded = Object.fromEntries(
    Object.entries((object.data as Record<string, string> | undefined) ?? {}).map(([k, v]) => [
      k,
      object.kind === 'Secret' ? Buffer.from(v, 'base64').toString('utf8') : v,
    ]),
  );
  return { ...decoded, ...((object.stringData as Record<string, string> | undefined) ?? {}) };
}

export interface ConfigCheck {
  workload: string;
  file: string;
  command: string;
  output: string;
}

/**
 * promtool `check config` on every prometheus.yml and amtool `check-config` on every
 * alertmanager.yml the workloads mount; throws with the binary's output when one fails.
 */
export function checkConfigs(
  roots: string[],
  binaries: { promtool: string; amtool: string },
): ConfigCheck[] {
  const checks: ConfigCheck[] = [];
  for (const root of roots) {
    const workload = relative(dirname(dirname(root)), root);
    const config = join(root, 'config');
    const runs: Array<[string, string[]]> = [];
    if (existsSync(join(config, 'prometheus.yml')))
      runs.push([binaries.promtool, ['check', 'config', join(config, 'prometheus.yml')]]);
    if (existsSync(join(config, 'alertmanager.yml')))
      runs.push([binaries.amtool, ['check-config', join(config, 'alertmanager.yml')]]);
    for (const [binary, args] of runs) {
      const command = `${binary.split('/').pop()} ${args.join(' ')}`;
      let output: string;
      try {
        output = execFileSync(binary, args, { encoding: 'utf8', stdio: 'pipe' });
      } catch (err) {
        const e = err as { stdout?: string; stderr?: string };
        throw new Error(`${workload}: ${command} failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`, {
          cause: err,
        });
      }
      if (!/SUCCESS/.test(output))
        throw new Error(`${workload}: ${command} printed no SUCCESS:\n${output}`);
      checks.push({ workload, file: args.at(-1)!, command, output: output.trim() });
    }
  }
  return checks;
}
