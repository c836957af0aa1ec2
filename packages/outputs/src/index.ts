export * from './schema.ts';
export * from './parse.ts';
export * from './contract/labels.ts';
export * from './contract/duration.ts';
export * from './contract/metrics.ts';
export * from './contract/faults.ts';
export * from './contract/slo.ts';
export * from './contract/rules.ts';
