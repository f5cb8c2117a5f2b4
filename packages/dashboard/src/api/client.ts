/** The API as the dashboard calls it: same origin, the session cookie, and the CSRF header on changes. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
  }
}

/** Cookie-authenticated requests that change data must carry it (see the server's auth hook). */
const CSRF_HEADER = 'x-interlog-csrf'
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

let signedOut: () => void = () => {}
/** Called when the server says the session is gone (expired, signed out elsewhere, key revoked). */
export function onSignedOut(handler: () => void): void {
  signedOut = handler
}

export async function api<T>(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  const method = init.method ?? 'GET'
  const headers: Record<string, string> = { accept: 'application/json' }
  if (init.body !== undefined) headers['content-type'] = 'application/json'
  if (UNSAFE.has(method)) headers[CSRF_HEADER] = '1'
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: init.signal,
  })
  if (response.status === 204) return undefined as T
  const body = (await response.json().catch(() => undefined)) as { error?: { code: string; message: string; details?: unknown } } | undefined
  if (!response.ok) {
    if (response.status === 401) signedOut()
    const error = body?.error
    throw new ApiError(response.status, error?.code ?? 'http_error', error?.message ?? `The server answered ${response.status}`, error?.details)
  }
  return body as T
}

type Param = string | number | boolean | undefined | null

/** A query string from the set parameters only ('' when none). */
export function queryString(params: Record<string, Param>): string {
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value))
  }
  const text = search.toString()
  return text ? `?${text}` : ''
}
