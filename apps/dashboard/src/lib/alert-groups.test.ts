import { describe, expect, it } from 'vitest';
import { groupAlerts } from './alert-groups.ts';

const alert = (name: string, state: string, labels: Record<string, string> = {}) => ({
  name,
  state,
  labels: { alertname: name, ...labels },
});
const on = (customer: string, environment: string) => ({
  customer,
  environment,
  data_plane: `${customer}-${environment}-01`,
});

describe('groupAlerts', () => {
  it('groups by customer, then environment: control plane first, most firing next', () => {
    const groups = groupAlerts([
      alert('HighErrorRatio', 'firing', on('cust-002', 'prod')),
      alert('HighLatencyP95', 'pending', on('cust-001', 'qa')),
      alert('HighLatencyP95', 'firing', on('cust-002', 'dev')),
      alert('HighErrorRatio', 'firing', on('cust-002', 'dev')),
      alert('Watchdog', 'firing'),
      alert('HighErrorRatio', 'firing', on('cust-003', 'prod')),
    ]);
    expect(
      groups.map((g) => [
        g.customer,
        g.firing,
        g.pending,
        g.environments.map((e) => e.environment),
      ]),
    ).toEqual([
      [null, 1, 0, [null]],
      ['cust-002', 3, 0, ['dev', 'prod']],
      ['cust-003', 1, 0, ['prod']],
      ['cust-001', 0, 1, ['qa']],
    ]);
    // Alerts keep their order within a group.
    expect(groups[1]!.environments[0]!.alerts.map((a) => a.name)).toEqual([
      'HighLatencyP95',
      'HighErrorRatio',
    ]);
  });

  it('is empty without alerts', () => {
    expect(groupAlerts([])).toEqual([]);
  });
});
