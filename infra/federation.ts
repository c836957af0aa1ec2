import * as pulumi from '@pulumi/pulumi';
import { CREDENTIALS } from './plan/common.ts';
import type { ForeignPlane, Plan } from './plan/types.ts';

/**
 * What a stack exports for the control planes that watch it (`outpost:scrapeStacks`): its
 * planes as seen from outside, and the credentials a watcher needs (the stack's CA certificate,
 * each pulled plane's scrape token, each push plane's token). A secret output.
 */
export interface Federation {
  stack: string;
  planes: ForeignPlane[];
  credentials: Record<string, string>;
}

/** This stack's planes as another stack's control plane sees them. */
export function federatedPlanes(plan: Plan): ForeignPlane[] {
  return plan.topology.dataPlanes.map((dp) => ({
    stack: plan.stack,
    name: dp.name,
    id: dp.id,
    customer: dp.customer,
    environment: dp.environment,
    mode: dp.mode,
    apiUrl: dp.api.url,
    scrape:
      dp.mode === 'pull'
        ? {
            host: dp.collector.metrics.host,
            port: dp.collector.metrics.port,
            telemetryPort: dp.collector.telemetry.port,
          }
        : null,
    pushPort: dp.pushPort,
  }));
}

/** The credentials a watcher of this plan needs, by credential id (`.crt` for a CA). */
export function federatedCredentialIds(plan: Plan): string[] {
  return plan.topology.dataPlanes.flatMap((dp) =>
    dp.mode === 'pull'
      ? [`${CREDENTIALS.ca(plan.stack)}.crt`, CREDENTIALS.scrapeToken(dp.name)]
      : [CREDENTIALS.pushToken(dp.name)],
  );
}

/**
 * Reads the `federation` output of every watched stack (StackReference). A stack not deployed
 * yet fails with the order to deploy in (docs/deploy.md, "First setup").
 */
export async function readFederations(
  stack: string,
  watched: string[],
): Promise<{ planes: ForeignPlane[]; imported: Record<string, pulumi.Output<string>> }> {
  const planes: ForeignPlane[] = [];
  const imported: Record<string, pulumi.Output<string>> = {};
  for (const name of watched) {
    const ref = new pulumi.StackReference(`${stack}-watches-${name}`, {
      name: `${pulumi.getOrganization()}/${pulumi.getProject()}/${name}`,
    });
    const details = await ref.getOutputDetails('federation');
    const federation = (details.value ?? details.secretValue) as Federation | undefined;
    if (!federation)
      throw new Error(
        `stack ${name} exports no federation output: deploy it first (\`pulumi up -s ${name}\`), or set ` +
          `outpost:scrapeStacks to [] for the first \`pulumi up -s ${stack}\` (docs/deploy.md, "First setup")`,
      );
    planes.push(...federation.planes);
    for (const [id, value] of Object.entries(federation.credentials))
      imported[id] = pulumi.secret(value);
  }
  return { planes, imported };
}
