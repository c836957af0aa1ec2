// The simulated data planes of `--fleet N`: names only. Each plane is what one real data plane
// contributes to the control plane's labels (`data_plane`, `customer`, `environment`).

/** One simulated data plane, as FLEET_FILE lists it. */
export interface FleetPlane {
  /** The `data_plane` label and the path segment of its endpoints, e.g. `cust-007-prod-01`. */
  id: string;
  /** The `customer` label, e.g. `cust-007`. */
  customer: string;
  /** The `environment` label: prod, dev or qa. */
  environment: string;
}

/** The environments a simulated customer has, in the order planes are named. */
export const FLEET_ENVIRONMENTS = ['prod', 'dev', 'qa'] as const;

/**
 * Names n planes: three per customer (prod, dev, qa), customers `cust-001`, `cust-002`, ...
 * Plane i belongs to customer floor(i / 3) + 1 and environment i mod 3.
 */
export function fleetPlanes(n: number): FleetPlane[] {
  if (!Number.isSafeInteger(n) || n < 0)
    throw new RangeError(`fleet size must be an integer >= 0, got ${n}`);
  return Array.from({ length: n }, (_, i) => {
    const customer = `cust-${String(Math.floor(i / 3) + 1).padStart(3, '0')}`;
    const environment = FLEET_ENVIRONMENTS[i % 3]!;
    return { id: `${customer}-${environment}-01`, customer, environment };
  });
}
