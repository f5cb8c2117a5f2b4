import http from 'node:http'
import { TEST_ADMIN_KEY } from './server-process.js'

export interface JsonResponse<T = any> {
  status: number
  headers: Headers
  body: T
}

/** A tiny JSON client for tests: sends a bearer key and parses the answer. */
export function apiClient(baseUrl: string, key: string) {
  const call = async <T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<JsonResponse<T>> => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    })
    const text = await response.text()
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined }
  }
  return {
    get: <T = any>(path: string) => call<T>('GET', path),
    post: <T = any>(path: string, body: unknown, headers?: Record<string, string>) => call<T>('POST', path, body, headers),
    delete: <T = any>(path: string) => call<T>('DELETE', path),
    call,
  }
}

export type ApiClient = ReturnType<typeof apiClient>

/** Creates a tenant and a key with the given scopes through the admin API. */
export async function tenantWithKey(baseUrl: string, name: string, scopes: string[], userId?: string) {
  const admin = apiClient(baseUrl, TEST_ADMIN_KEY)
  const tenant = await admin.post('/v1/admin/tenants', { name })
  if (tenant.status !== 201) throw new Error(`tenant: ${JSON.stringify(tenant.body)}`)
  const key = await admin.post('/v1/admin/keys', { tenant_id: tenant.body.id, scopes, user_id: userId })
  if (key.status !== 201) throw new Error(`key: ${JSON.stringify(key.body)}`)
  return { tenantId: tenant.body.id as string, key: key.body.key as string, keyId: key.body.id as string, client: apiClient(baseUrl, key.body.key) }
}

export async function keyFor(baseUrl: string, tenantId: string, scopes: string[], userId?: string) {
  const admin = apiClient(baseUrl, TEST_ADMIN_KEY)
  const key = await admin.post('/v1/admin/keys', { tenant_id: tenantId, scopes, user_id: userId })
  if (key.status !== 201) throw new Error(`key: ${JSON.stringify(key.body)}`)
  return { key: key.body.key as string, keyId: key.body.id as string, client: apiClient(baseUrl, key.body.key) }
}

export interface Download {
  status: number
  headers: http.IncomingHttpHeaders
  text: string
  trailers: NodeJS.Dict<string>
}

/** GET with node:http, which (unlike fetch) exposes HTTP trailers. */
export function download(baseUrl: string, key: string, path: string): Promise<Download> {
  return new Promise((resolve, reject) => {
    http
      .get(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${key}` } }, (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('end', () =>
          resolve({ status: response.statusCode!, headers: response.headers, text: Buffer.concat(chunks).toString('utf8'), trailers: response.trailers }),
        )
        response.on('error', reject)
      })
      .on('error', reject)
  })
}
