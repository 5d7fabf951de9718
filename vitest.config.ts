import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // CI asks for a JSON report too (VITEST_JSON=path), for its one-line summary.
    ...(process.env.VITEST_JSON
      ? { reporters: ['default', 'json'], outputFile: { json: process.env.VITEST_JSON } }
      : {}),
    // test/pinned/ has its own type check (test/pinned/types.test.ts), skipped after a spec bump.
    typecheck: {
      enabled: true,
      include: ['test/**/*.test-d.ts'],
      exclude: ['test/pinned/**'],
      tsconfig: './tsconfig.json',
    },
  },
});
