/** The few API calls the benchmark makes besides ingest: set up a tenant and key, count what was stored. */

async function call<T>(url: string, key: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${key}`, ...(init.body ? { 'content-type': 'application/json' } : {}) },
    body: init.body ? JSON.stringify(init.body) : undefined,
  })
  const text = await response.text()
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url}: HTTP ${response.status} ${text}`)
  return JSON.parse(text) as T
}

/**
 * A fresh tenant and a key that may ingest and read (to verify the count afterwards); with `redaction`,
 * the tenant redacts every built-in kind at ingest.
 */
export async function createIngestKey(baseUrl: string, adminKey: string, redaction: boolean): Promise<string> {
  const tenant = await call<{ id: string }>(`${baseUrl}/v1/admin/tenants`, adminKey, { method: 'POST', body: { name: 'bench' } })
  const created = await call<{ key: string }>(`${baseUrl}/v1/admin/keys`, adminKey, {
    method: 'POST',
    body: { tenant_id: tenant.id, scopes: ['ingest', 'read', 'admin'] },
  })
  if (redaction) {
    const kinds = ['email', 'phone', 'credit_card', 'national_id', 'ip_address', 'secret']
    await call(`${baseUrl}/v1/settings/redaction`, created.key, { method: 'PUT', body: { kinds } })
  }
  return created.key
}

/** Stored interactions, or those whose text matches a search query. */
export async function storedCount(baseUrl: string, key: string, q?: string): Promise<number> {
  const page = await call<{ total_count: number }>(`${baseUrl}/v1/interactions?limit=1${q ? `&q=${encodeURIComponent(q)}` : ''}`, key)
  return page.total_count
}
