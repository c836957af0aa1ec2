import type { Recorded } from './mocks.ts';

/**
 * Validates a recorded Kubernetes resource against the Kubernetes OpenAPI schema with
 * kubernetes-models: the Pulumi type token names the model (`kubernetes:apps/v1:Deployment`
 * -> kubernetes-models/apps/v1/Deployment). Throws with the schema's message when invalid.
 */
export async function validateK8s(resource: Recorded): Promise<void> {
  const match = /^kubernetes:([^/]+)\/([^:]+):(\w+)$/.exec(resource.type);
  if (!match) throw new Error(`not a Kubernetes type: ${resource.type}`);
  const [, group, version, kind] = match;
  const path =
    group === 'core'
      ? `kubernetes-models/${version}/${kind}`
      : `kubernetes-models/${group}/${version}/${kind}`;
  const module = (await import(path)) as Record<
    string,
    new (data: unknown) => { validate(): void }
  >;
  const Model = module[kind!];
  if (!Model) throw new Error(`${path} has no ${kind}`);
  // stringData is write-only input the API server folds into data; the schema has it too.
  const { metadata, ...rest } = resource.inputs as { metadata?: object };
  new Model({ metadata: metadata ?? { name: resource.name }, ...rest }).validate();
}
