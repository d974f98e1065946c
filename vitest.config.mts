import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src-main/**/*.test.ts', 'src-shared/**/*.test.ts', 'src-renderer/**/*.test.ts', 'src-hq/**/*.test.ts', 'tests/integration/**/*.test.ts', 'tests/sync/**/*.test.ts'],
    environment: 'node',
    // Real SQLite files and scrypt make some tests slow on a 2-core machine; two workers keep them honest.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
