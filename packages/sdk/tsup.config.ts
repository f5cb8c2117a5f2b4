import { defineConfig } from 'tsup'

// One bundle per module system, with types for each; no runtime dependencies to externalise.
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  // ES2020 runs in Node 20, evergreen browsers and edge runtimes without down-levelling surprises.
  target: 'es2020',
  platform: 'neutral',
  tsconfig: 'tsconfig.json',
})
