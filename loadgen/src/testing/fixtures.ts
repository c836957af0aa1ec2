/** A stack-outputs object (the @outpost/outputs shape) with one data plane per entry. */
export const outputs = (
  planes: { env: string; customer?: string; url?: string; simulated?: boolean }[],
) => ({
  stack: 'local',
  platform: 'process',
  dashboardUrl: null,
  queryUrl: 'http://127.0.0.1:9090',
  prometheusUrl: 'http://127.0.0.1:9090',
  alertmanagerUrl: null,
  dataPlanes: planes.map((p, i) => ({
    name: `${p.customer ?? 'acme'}-${p.env}`,
    id: `${p.customer ?? 'acme'}-${p.env}-0${i + 1}`,
    customer: p.customer ?? 'acme',
    environment: p.env,
    apiUrl: p.url ?? `http://127.0.0.1:${8081 + i}`,
    metricsUrl: null,
    adminToken: 'secret',
    ...(p.simulated === undefined ? {} : { simulated: p.simulated }),
  })),
  scrapeInterval: '10s',
  slos: [],
});
