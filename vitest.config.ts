import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests open real databases and, for PostgreSQL, a throwaway cluster: give them room on a
    // shared machine rather than failing on a slow start.
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // One temp directory for the run, checked empty at the end; each file's folders removed after it.
    globalSetup: ['test/setup/temp-run.ts'],
    setupFiles: ['test/setup/remove-temp.ts'],
  },
});
