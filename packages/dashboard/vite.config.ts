import { defineConfig } from 'vite'

/**
 * The dashboard is static files served by `interlog serve`. `npm run dev -w packages/dashboard` serves it
 * with hot reload and sends /v1 to a server on :4100.
 */
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  // The manifest lets `npm run bench:bundle` measure what each page's first load downloads.
  build: { outDir: 'dist', target: 'es2022', emptyOutDir: true, reportCompressedSize: true, manifest: true },
  server: { proxy: { '/v1': 'http://127.0.0.1:4100' } },
})
