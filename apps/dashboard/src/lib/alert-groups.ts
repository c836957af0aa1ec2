// The alerts page's grouping: by customer, then environment (the labels every data-plane alert
// carries). Alerts without a customer are the control plane's own (Watchdog, rule failures) and
// come first; then customers with the most firing alerts, then by name.

export interface Grouped<A> {
  /** The customer, or null for the control plane's own alerts. */
  customer: string | null;
  firing: number;
  pending: number;
  environments: Array<{ environment: string | null; firing: number; pending: number; alerts: A[] }>;
}

const count = (alerts: ReadonlyArray<{ state: string }>, state: string) =>
  alerts.filter((a) => a.state === state).length;

/** Most firing first, then most pending, then by name (null, the control plane, first). */
function order(
  a: { key: string | null; firing: number; pending: number },
  b: { key: string | null; firing: number; pending: number },
): number {
  if (a.key === null || b.key === null) return a.key === b.key ? 0 : a.key === null ? -1 : 1;
  return b.firing - a.firing || b.pending - a.pending || a.key.localeCompare(b.key);
}

/** Groups alerts (in their order within a group) by customer and environment. */
export function groupAlerts<A extends { state: string; labels: Record<string, string> }>(
  alerts: readonly A[],
): Grouped<A>[] {
  const byCustomer = new Map<string | null, Map<string | null, A[]>>();
  for (const alert of alerts) {
    const customer = alert.labels.customer || null;
    const environment = alert.labels.environment || null;
    let envs = byCustomer.get(customer);
    if (!envs) byCustomer.set(customer, (envs = new Map()));
    const list = envs.get(environment);
    if (list) list.push(alert);
    else envs.set(environment, [alert]);
  }
  return [...byCustomer]
    .map(([customer, envs]) => {
      const environments = [...envs]
        .map(([environment, list]) => ({
          environment,
          firing: count(list, 'firing'),
          pending: count(list, 'pending'),
          alerts: list,
        }))
        .sort((a, b) => order({ ...a, key: a.environment }, { ...b, key: b.environment }));
      return {
        customer,
        firing: environments.reduce((n, e) => n + e.firing, 0),
        pending: environments.reduce((n, e) => n + e.pending, 0),
        environments,
      };
    })
    .sort((a, b) => order({ ...a, key: a.customer }, { ...b, key: b.customer }));
}
