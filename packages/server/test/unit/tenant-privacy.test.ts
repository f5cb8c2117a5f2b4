import { describe, expect, it } from 'vitest'
import { CollectionDisabledError } from '../../src/errors/errors.js'
import { TenantPrivacy } from '../../src/privacy/tenant-privacy.js'
import type { TenantSetting } from '../../src/store/store.js'

function fakeStore(settings: Record<string, TenantSetting[]>) {
  const calls: string[] = []
  return {
    calls,
    settings,
    all: async (tenantId: string) => {
      calls.push(tenantId)
      return settings[tenantId] ?? []
    },
  }
}

describe('TenantPrivacy', () => {
  it('defaults to collecting with no redaction', async () => {
    const privacy = new TenantPrivacy(fakeStore({}))
    expect(await privacy.admit('t')).toBeUndefined()
    expect(await privacy.settings('t')).toMatchObject({
      redaction: { kinds: [], custom_patterns: [], phone_default_country: 'US', updated_at: null },
      collection: { enabled: true, updated_at: null },
    })
  })

  it('builds the redactor from the stored settings and refuses ingest while collection is off', async () => {
    const store = fakeStore({
      a: [{ name: 'redaction', value: { kinds: ['email'], custom_patterns: [], phone_default_country: 'GB' }, updated_at: 'x' }],
      b: [{ name: 'collection', value: { enabled: false }, updated_at: 'y' }],
    })
    const privacy = new TenantPrivacy(store)
    expect((await privacy.admit('a'))?.text('to jane@example.com')).toBe('to [EMAIL]')
    await expect(privacy.admit('b')).rejects.toBeInstanceOf(CollectionDisabledError)
  })

  it('reads the store once per TTL per tenant, and again at once after invalidate', async () => {
    let now = 0
    const store = fakeStore({})
    const privacy = new TenantPrivacy(store, { ttlMs: 5_000, clock: { now: () => new Date(now) } })
    await Promise.all([privacy.admit('t'), privacy.admit('t'), privacy.admit('u')])
    now = 4_999
    await privacy.admit('t')
    expect(store.calls).toEqual(['t', 'u'])
    store.settings.t = [{ name: 'collection', value: { enabled: false }, updated_at: 'z' }]
    await expect(privacy.admit('t')).resolves.toBeUndefined() // cached: another replica's change is not seen yet
    now = 5_000
    await expect(privacy.admit('t')).rejects.toBeInstanceOf(CollectionDisabledError)
    store.settings.t = []
    privacy.invalidate('t')
    await expect(privacy.admit('t')).resolves.toBeUndefined()
    expect(store.calls).toEqual(['t', 'u', 't', 't'])
  })
})
