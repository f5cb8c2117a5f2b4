import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config/config.js'

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    expect(loadConfig({})).toMatchObject({
      port: 4100,
      host: '127.0.0.1',
      dataDir: './.interlog',
      bodyLimitBytes: 10 * 1024 * 1024,
      rateLimitPerMinute: 6000,
      logLevel: 'info',
    })
  })

  it('reads INTERLOG_* variables, and flags win over them', () => {
    const env = { INTERLOG_PORT: '5000', INTERLOG_DATA_DIR: '/var/lib/interlog', INTERLOG_DATABASE_URL: 'postgres://db/x' }
    expect(loadConfig(env)).toMatchObject({ port: 5000, dataDir: '/var/lib/interlog', databaseUrl: 'postgres://db/x' })
    expect(loadConfig(env, { port: '6000' }).port).toBe(6000)
  })

  it('treats empty values as unset', () => {
    expect(loadConfig({ INTERLOG_PORT: '' }).port).toBe(4100)
  })

  it('names the variable of a bad value', () => {
    expect(() => loadConfig({ INTERLOG_PORT: 'eighty' })).toThrow(/INTERLOG_PORT/)
    expect(() => loadConfig({ INTERLOG_ADMIN_KEY: 'short' })).toThrow(/INTERLOG_ADMIN_KEY: must be at least 24/)
  })

  it('reads the dashboard settings: session length, trusting a proxy, where the built app is', () => {
    expect(loadConfig({})).toMatchObject({ sessionTtlHours: 12, trustProxy: false })
    expect(loadConfig({}).dashboardDir).toBeUndefined()
    const env = { INTERLOG_SESSION_TTL_HOURS: '2', INTERLOG_TRUST_PROXY: 'true', INTERLOG_DASHBOARD_DIR: '/srv/app' }
    expect(loadConfig(env)).toMatchObject({ sessionTtlHours: 2, trustProxy: true, dashboardDir: '/srv/app' })
    expect(loadConfig({ INTERLOG_TRUST_PROXY: 'false' }).trustProxy).toBe(false)
    expect(() => loadConfig({ INTERLOG_TRUST_PROXY: 'perhaps' })).toThrow(/INTERLOG_TRUST_PROXY/)
  })
})
