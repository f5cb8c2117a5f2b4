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
})
