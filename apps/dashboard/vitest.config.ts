import { defineConfig } from 'vitest/config';

// Unit tests of the server library and browser tests against the built dashboard on a real
// platform (tests/). The browser tests need `npm run build -w @outpost/dashboard` first;
// `npm test` does it.
export default defineConfig({
  test: {
    name: 'dashboard',
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 90_000,
  },
});
