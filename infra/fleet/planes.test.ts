import { describe, expect, it } from 'vitest';
import { fleetPlanes } from './planes.ts';

describe('fleetPlanes', () => {
  it('names three planes per customer, prod, dev and qa in turn', () => {
    expect(fleetPlanes(4)).toEqual([
      { id: 'cust-001-prod-01', customer: 'cust-001', environment: 'prod' },
      { id: 'cust-001-dev-01', customer: 'cust-001', environment: 'dev' },
      { id: 'cust-001-qa-01', customer: 'cust-001', environment: 'qa' },
      { id: 'cust-002-prod-01', customer: 'cust-002', environment: 'prod' },
    ]);
  });

  it('gives 200 planes unique ids over 67 customers', () => {
    const planes = fleetPlanes(200);
    expect(new Set(planes.map((p) => p.id)).size).toBe(200);
    expect(new Set(planes.map((p) => p.customer)).size).toBe(67);
    expect(planes[199]).toEqual({
      id: 'cust-067-dev-01',
      customer: 'cust-067',
      environment: 'dev',
    });
  });

  it('names no planes for 0 and refuses a size that is not a whole number', () => {
    expect(fleetPlanes(0)).toEqual([]);
    expect(() => fleetPlanes(-1)).toThrow(/integer >= 0/);
    expect(() => fleetPlanes(2.5)).toThrow(/integer >= 0/);
  });
});
