import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'loadgen',
    include: ['src/**/*.test.ts', 'scenarios/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
