import { unrefTimer, type Runtime } from './runtime.js'
import { parseRetryAfter } from './retry.js'

export interface PostRequest {
  url: string
  body: string
  apiKey: string | undefined
  timeoutMs: number
  /** Lets a browser finish the request after the page is closed (bodies under 64 KB only). */
  keepalive: boolean
  /** Aborts the request from outside (shutdown deadline). */
  signal: AbortSignal
}

export type PostOutcome =
  | { kind: 'response'; status: number; body: unknown; retryAfterMs: number | undefined }
  | { kind: 'network_error'; error: unknown }
  | { kind: 'timeout' }
  | { kind: 'aborted' }

const KEEPALIVE_BODY_LIMIT = 60_000

/** One POST of JSON, bounded by timeoutMs (headers and body), that reports every outcome instead of throwing. */
export async function postJson(runtime: Runtime, request: PostRequest): Promise<PostOutcome> {
  if (request.signal.aborted) return { kind: 'aborted' }
  const controller = new AbortController()
  let timedOut = false
  const onOuterAbort = () => controller.abort()
  request.signal.addEventListener('abort', onOuterAbort)
  // The socket keeps Node alive while a request is open; the timer alone must not.
  const timer = unrefTimer(
    runtime.setTimeout(() => {
      timedOut = true
      controller.abort()
    }, request.timeoutMs),
  )
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (request.apiKey) headers.authorization = `Bearer ${request.apiKey}`
  try {
    const response = await runtime.fetch(request.url, {
      method: 'POST',
      headers,
      body: request.body,
      signal: controller.signal,
      ...(request.keepalive && request.body.length < KEEPALIVE_BODY_LIMIT ? { keepalive: true } : {}),
    })
    const text = await response.text()
    return {
      kind: 'response',
      status: response.status,
      body: parseJson(text),
      retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), runtime.now()),
    }
  } catch (error) {
    if (timedOut) return { kind: 'timeout' }
    if (request.signal.aborted) return { kind: 'aborted' }
    return { kind: 'network_error', error }
  } finally {
    runtime.clearTimeout(timer)
    request.signal.removeEventListener('abort', onOuterAbort)
  }
}

function parseJson(text: string): unknown {
  if (!text) return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}
