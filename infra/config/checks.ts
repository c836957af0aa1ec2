import { DURATION_BUCKETS, toSeconds } from '@outpost/outputs';
import type { StackConfig } from './schema.ts';

const KEY = 'outpost:';

/** Checks that span several keys: uniqueness, port clashes, rule sanity, push wiring. */
export function crossChecks(config: StackConfig): string[] {
  const problems: string[] = [];
  for (const what of ['name', 'id'] as const) {
    const counts = new Map<string, number>();
    config.dataPlanes.forEach((dp) => counts.set(dp[what], (counts.get(dp[what]) ?? 0) + 1));
    for (const [value, n] of counts) {
      if (n > 1)
        problems.push(
          `${KEY}dataPlanes: ${n} data planes share the ${what} ${value}; give each a unique ${what}`,
        );
    }
  }

  const owners = new Map<number, string>();
  const claim = (p: number | undefined, key: string) => {
    if (p === undefined) return;
    const other = owners.get(p);
    if (other)
      problems.push(`${KEY}${key}: port ${p} is already used by ${KEY}${other}; pick a free port`);
    else owners.set(p, key);
  };
  config.dataPlanes.forEach((dp, i) => {
    for (const [key, value] of Object.entries(dp.ports))
      claim(value, `dataPlanes[${i}].ports.${key}`);
    if (dp.mode === 'push' && dp.ports.push === undefined)
      problems.push(
        `${KEY}dataPlanes[${i}].ports.push: required for a push plane: the port of its receiver on the gateway (e.g. 4319)`,
      );
    if (dp.mode === 'pull' && dp.ports.push !== undefined)
      problems.push(
        `${KEY}dataPlanes[${i}].ports.push: only push planes have one; remove it or set mode: push`,
      );
  });

  const cp = config.controlPlane;
  if (cp) {
    for (const [key, value] of Object.entries(cp.ports)) claim(value, `controlPlane.ports.${key}`);
    const threshold = cp.slos.latency.thresholdSeconds;
    if (!DURATION_BUCKETS.includes(threshold)) {
      problems.push(
        `${KEY}controlPlane.slos.latency.thresholdSeconds: ${threshold} is not a bucket boundary of ` +
          `http.server.request.duration; use one of ${DURATION_BUCKETS.join(', ')}`,
      );
    }
    cp.slos.burnRates.forEach((r, i) => {
      if (toSeconds(r.short) >= toSeconds(r.long))
        problems.push(
          `${KEY}controlPlane.slos.burnRates[${i}]: the short window ${r.short} must be shorter than the long one ${r.long}`,
        );
      if (toSeconds(r.short) < 4 * toSeconds(cp.scrapeInterval))
        problems.push(
          `${KEY}controlPlane.slos.burnRates[${i}].short: ${r.short} holds fewer than 4 scrapes of ${cp.scrapeInterval}; lengthen it`,
        );
    });
    if (toSeconds(cp.rateWindow) < 4 * toSeconds(cp.scrapeInterval)) {
      problems.push(
        `${KEY}controlPlane.rateWindow: ${cp.rateWindow} is shorter than 4x the scrape interval (${cp.scrapeInterval}); ` +
          'rate() needs at least four samples: lengthen the window or shorten the interval',
      );
    }
    if (cp.thanos.enabled && cp.thanos.objstore === 's3' && !cp.thanos.endpoint) {
      problems.push(
        `${KEY}controlPlane.thanos.endpoint: required when objstore is s3 (e.g. s3.eu-west-1.amazonaws.com)`,
      );
    }
    if (
      cp.thanos.enabled &&
      cp.thanos.objstore === 'filesystem' &&
      config.platform === 'kubernetes'
    ) {
      problems.push(
        `${KEY}controlPlane.thanos.objstore: filesystem needs every Thanos part on one host; on Kubernetes use s3`,
      );
    }
    if (cp.prometheusReplicas > 1 && !cp.thanos.enabled) {
      problems.push(
        `${KEY}controlPlane.prometheusReplicas: ${cp.prometheusReplicas} replicas need thanos.enabled: true (Thanos Query deduplicates them)`,
      );
    }
    const names = new Set<string>();
    for (const r of cp.alerting.receivers) {
      if (names.has(r.name) || r.name === 'local')
        problems.push(
          `${KEY}controlPlane.alerting.receivers: the name ${r.name} is taken; give each receiver a unique name`,
        );
      names.add(r.name);
    }
    if (config.pushGateway)
      problems.push(
        `${KEY}pushGateway: a stack with a control plane sends its push planes to its own gateway; remove pushGateway`,
      );
  }
  if (config.renderYamlTo && config.platform !== 'kubernetes') {
    problems.push(`${KEY}renderYamlTo: only Kubernetes stacks render YAML; remove it`);
  }
  return problems;
}
