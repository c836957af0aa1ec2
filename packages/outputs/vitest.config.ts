import { defineConfig } from 'vitest/config';

export default defineConfig({ test: { name: 'outputs', include: ['src/**/*.test.ts'] } });
