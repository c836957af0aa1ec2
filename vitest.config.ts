import { defineConfig } from 'vitest/config';

// One vitest run for the whole repository: each workspace is a project with its own config.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', '{loadgen,infra,docs}'],
  },
});
