import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests open real databases and, for PostgreSQL, a throwaway cluster: give them room on a
    // shared machine rather than failing on a slow start.
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
