import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, extname, join } from 'node:path'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance, FastifyReply } from 'fastify'

/** The built dashboard of the @interlog/dashboard package, wherever npm put it; undefined when it is not installed. */
export function defaultDashboardDir(): string | undefined {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('@interlog/dashboard/package.json')), 'dist')
  } catch {
    return undefined
  }
}

/** Paths that belong to the API and the docs: never answered with the app. */
const API_PREFIXES = ['v1/', 'docs', 'openapi.json', 'healthz', 'readyz']

/**
 * The app's page: scripts and styles only from this server, no framing by other sites, and no
 * referrer sent along with links to elsewhere.
 */
const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'cache-control': 'no-cache',
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>interlog</title>
<p>The interlog dashboard is not built. Run <code>npm run build</code> (or <code>npm start</code>), then reload.
The API is under <a href="/docs">/docs</a>.</p>`

/**
 * Serves the dashboard (a single-page app) at `/`: built files as they are (hashed assets cached for a
 * year), and the app's page for any other path outside the API, so client routes like
 * /interactions/ID load directly. The API stays under /v1.
 */
export async function dashboardRoutes(app: FastifyInstance, dashboardDir: string | undefined): Promise<void> {
  const built = dashboardDir !== undefined && existsSync(join(dashboardDir, 'index.html'))
  if (built) await app.register(fastifyStatic, { root: dashboardDir, serve: false })

  const page = (reply: FastifyReply) => {
    reply.headers(PAGE_HEADERS)
    return built ? reply.sendFile('index.html', { cacheControl: false }) : reply.type('text/html; charset=utf-8').send(NOT_BUILT)
  }

  app.get('/', { schema: { hide: true } }, (_request, reply) => page(reply))
  app.get<{ Params: { '*': string } }>('/*', { schema: { hide: true } }, (request, reply) => {
    const path = request.params['*']
    if (API_PREFIXES.some((prefix) => path.startsWith(prefix))) return reply.callNotFound()
    if (extname(path) === '') return page(reply)
    if (!built) return reply.callNotFound()
    // Vite names assets by content hash: a changed file is a new name, so they can be cached for good.
    return path.startsWith('assets/') ? reply.sendFile(path, { maxAge: '365d', immutable: true }) : reply.sendFile(path)
  })
}
