import { defineConfig } from 'vitest/config';

// The documentation's own checks: links, scripts and flags named, Mermaid diagrams render.
export default defineConfig({
  test: { name: 'docs', include: ['tests/**/*.test.ts'], testTimeout: 60_000 },
});
