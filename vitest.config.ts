import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts'],
    globalSetup: ['packages/server/test/support/global-setup.ts'],
    // Integration and e2e tests start servers and databases; give them room on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Files run in parallel forks; each test file isolates its own database (temp dir or Postgres schema).
    pool: 'forks',
    maxWorkers: 2,
  },
})
