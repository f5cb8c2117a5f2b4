import type { Interaction } from '@interlog/schema'
import { describe, expect, it } from 'vitest'
import { archiveFilter } from '../../src/archive/archive-filter.js'
import { ArchiveScheduler, type Timers } from '../../src/archive/archive.scheduler.js'
import { describeSizes, runTotals, TypeSizes } from '../../src/archive/archive-summary.js'
import { humanBytes, table } from '../../src/cli/archive.format.js'
import { ProgressBar } from '../../src/cli/archive-progress.js'
import { loadConfig } from '../../src/config/config.js'
import { archiveSetupFrom } from '../../src/archive/archive.config.js'

describe('archive filter', () => {
  const interaction = {
    id: 'i',
    tenant_id: 't',
    timestamp: '2026-03-07T10:00:00.000Z',
    received_at: '2026-03-07T10:00:00.000Z',
    status: 'failure',
    type: 'chat',
    user_id: 'ann',
    thread_id: 'th',
    model: 'm',
    provider: 'p',
    category: 'web',
    tags: ['red'],
    latency_ms: 120,
    all_variables_present: false,
  } as Interaction

  it('applies each list filter the way the hot store does', () => {
    const matches = (filter: object) => archiveFilter(filter)(interaction)
    expect(matches({})).toBe(true)
    expect(matches({ user_id: 'ann', type: 'chat', status: 'failure', model: 'm', provider: 'p', category: 'web', thread_id: 'th' })).toBe(true)
    expect(matches({ user_id: 'bob' })).toBe(false)
    expect(matches({ tag: 'red' })).toBe(true)
    expect(matches({ tag: 'blue' })).toBe(false)
    expect(matches({ from: '2026-03-07T10:00:00.000Z', to: '2026-03-07T10:00:00.001Z' })).toBe(true)
    expect(matches({ to: '2026-03-07T10:00:00.000Z' })).toBe(false)
    expect(matches({ min_latency_ms: 120, max_latency_ms: 120 })).toBe(true)
    expect(matches({ min_latency_ms: 121 })).toBe(false)
    expect(matches({ incomplete_variables: true })).toBe(true)
    expect(archiveFilter({ incomplete_variables: true })({ ...interaction, all_variables_present: true })).toBe(false)
    expect(archiveFilter({ max_latency_ms: 5 })({ ...interaction, latency_ms: undefined })).toBe(false)
  })

  it('refuses full-text search, which has no index in the archive', () => {
    expect(() => archiveFilter({ q: 'refund' })).toThrow(/q/)
  })
})

/** Timers driven by hand: `fire()` runs what is waiting, as if the time had passed. */
function manualTimers() {
  let waiting: (() => void) | undefined
  const timers: Timers = {
    set: (run) => {
      waiting = run
      return run
    },
    clear: (handle) => {
      if (waiting === handle) waiting = undefined
    },
  }
  return {
    timers,
    pending: () => waiting !== undefined,
    fire() {
      const run = waiting!
      waiting = undefined
      run()
    },
  }
}

describe('archive scheduler', () => {
  it('runs once per wait, never overlapping, and waits again only when a run ends', async () => {
    const clock = manualTimers()
    const runs: { finish: () => void }[] = []
    const scheduler = new ArchiveScheduler(() => new Promise<void>((resolve) => runs.push({ finish: resolve })), 60_000, clock.timers)
    scheduler.start()
    expect(runs).toHaveLength(0)
    clock.fire()
    expect(runs).toHaveLength(1)
    expect(clock.pending()).toBe(false) // no second run is scheduled while the first goes on
    runs[0]!.finish()
    await new Promise((resolve) => setImmediate(resolve))
    expect(clock.pending()).toBe(true)
    clock.fire()
    expect(runs).toHaveLength(2)
    runs[1]!.finish()
    await scheduler.stop()
  })

  it('goes on after a failed run, and stopping aborts the run in progress and waits for it', async () => {
    const clock = manualTimers()
    let signal: AbortSignal | undefined
    let finish: (() => void) | undefined
    let calls = 0
    const scheduler = new ArchiveScheduler(
      (s) => {
        calls += 1
        if (calls === 1) return Promise.reject(new Error('disk full'))
        signal = s
        return new Promise<void>((resolve) => (finish = resolve))
      },
      1000,
      clock.timers,
    )
    scheduler.start()
    clock.fire()
    await new Promise((resolve) => setImmediate(resolve))
    clock.fire()
    expect(calls).toBe(2)
    let stopped = false
    const stopping = scheduler.stop().then(() => (stopped = true))
    expect(signal?.aborted).toBe(true)
    await new Promise((resolve) => setImmediate(resolve))
    expect(stopped).toBe(false)
    finish!()
    await stopping
    expect(clock.pending()).toBe(false)
  })
})

describe('archive summaries', () => {
  const prices = { hotGbMonthUsd: 0.1, coldGbMonthUsd: 0.02 }

  it('work out the compression ratio and the monthly saving', () => {
    const gib = 2 ** 30
    expect(describeSizes({ records: 10, objects: 2, bytesBefore: 10 * gib, bytesAfter: gib }, prices)).toEqual({
      records: 10,
      objects: 2,
      bytes_before: 10 * gib,
      bytes_after: gib,
      compression_ratio: 10,
      estimated_monthly_saving_usd: 0.98,
    })
    expect(describeSizes({ records: 0, objects: 0, bytesBefore: 0, bytesAfter: 0 }, prices).compression_ratio).toBeNull()
  })

  it('sum per type, per tenant and per run', () => {
    const sizes = new TypeSizes()
    sizes.add('chat', { records: 2, objects: 1, bytesBefore: 200, bytesAfter: 50 })
    sizes.add('', { records: 1, objects: 1, bytesBefore: 100, bytesAfter: 50 })
    sizes.add('chat', { records: 3, objects: 1, bytesBefore: 300, bytesAfter: 50 })
    const tenant = sizes.summary('t1', Date.parse('2026-03-01T00:00:00Z'), { skippedRecords: 4, expiredBatches: 1 }, prices)
    expect(tenant).toMatchObject({ tenant_id: 't1', cutoff: '2026-03-01T00:00:00.000Z', records: 6, objects: 3, bytes_before: 600, bytes_after: 150, compression_ratio: 4, skipped_records: 4, expired_batches: 1 })
    expect(tenant.by_type.map((t) => [t.type, t.records, t.objects])).toEqual([
      [null, 1, 1],
      ['chat', 5, 2],
    ])
    expect(runTotals([tenant, tenant], prices)).toMatchObject({ records: 12, objects: 6, bytes_before: 1200, bytes_after: 300 })
  })

  it('print sizes and tables for people', () => {
    expect(humanBytes(512)).toBe('512 B')
    expect(humanBytes(1536)).toBe('1.5 KB')
    expect(humanBytes(5 * 1024 ** 3)).toBe('5.0 GB')
    expect(table(['tenant', 'type', 'records'], [['acme', 'chat', '1,000'], ['b', '(no type)', '7']])).toBe(
      ['tenant  type       records', 'acme    chat         1,000', 'b       (no type)        7'].join('\n'),
    )
  })
})

describe('progress bar', () => {
  it('draws in place on a terminal and stays silent elsewhere', () => {
    const written: string[] = []
    const terminal = new ProgressBar({ write: (text: string) => written.push(text), isTTY: true, columns: 200 })
    terminal.begin('archiving acme', 200)
    terminal.update(50)
    terminal.finish()
    expect(written[0]).toContain('archiving acme [')
    expect(written.join('')).toContain('\r')
    expect(written.at(-1)).toBe('\n')
    expect(terminal.render()).toMatch(/^archiving acme \[#{8}-{22}\]  25% 50\/200 records/)

    // A line printed mid-run (--verbose) goes above the bar, which is drawn again and finishes drawn.
    written.length = 0
    terminal.begin('archiving globex', 100)
    terminal.interrupt(() => written.push('globex: uploaded 2 objects\n'))
    terminal.update(100)
    terminal.finish()
    expect(written.join('')).toMatch(/globex: uploaded 2 objects\n\r\u001b\[2Karchiving globex \[-{30}\]/)
    expect(written.slice(-2)).toEqual([expect.stringContaining('100% 100/100 records'), '\n'])

    const piped: string[] = []
    const pipe = new ProgressBar({ write: (text: string) => piped.push(text) })
    pipe.begin('archiving acme', 10)
    pipe.update(10)
    pipe.finish()
    expect(piped).toEqual([])
  })
})

describe('archive configuration', () => {
  it('parses the schedule as a duration, 0 being off, and defaults to hourly on the filesystem', () => {
    expect(loadConfig({})).toMatchObject({ archiveEvery: 3_600_000, archiveTarget: 'filesystem', archiveS3Prefix: '', archiveS3ForcePathStyle: false })
    expect(loadConfig({ INTERLOG_ARCHIVE_EVERY: '0' }).archiveEvery).toBe(0)
    expect(loadConfig({ INTERLOG_ARCHIVE_EVERY: '15m' }).archiveEvery).toBe(900_000)
    expect(loadConfig({ INTERLOG_ARCHIVE_EVERY: '1d' }).archiveEvery).toBe(86_400_000)
    expect(() => loadConfig({ INTERLOG_ARCHIVE_EVERY: 'hourly' })).toThrow(/INTERLOG_ARCHIVE_EVERY/)
  })

  it('takes the gzip level of archive objects, 1 to 9, 5 by default, into the archiver settings', () => {
    expect(archiveSetupFrom(loadConfig({})).service.settings.gzipLevel).toBe(5)
    expect(archiveSetupFrom(loadConfig({ INTERLOG_ARCHIVE_GZIP_LEVEL: '1' })).service.settings.gzipLevel).toBe(1)
    for (const bad of ['0', '10', '4.5', 'fast']) {
      expect(() => loadConfig({ INTERLOG_ARCHIVE_GZIP_LEVEL: bad })).toThrow(/INTERLOG_ARCHIVE_GZIP_LEVEL/)
    }
  })

  it('needs a bucket for the s3 target', () => {
    expect(() => loadConfig({ INTERLOG_ARCHIVE_TARGET: 's3' })).toThrow(/INTERLOG_ARCHIVE_TARGET: s3 needs INTERLOG_ARCHIVE_S3_BUCKET/)
    const config = loadConfig({ INTERLOG_ARCHIVE_TARGET: 's3', INTERLOG_ARCHIVE_S3_BUCKET: 'b', INTERLOG_ARCHIVE_S3_FORCE_PATH_STYLE: 'true' })
    expect(config).toMatchObject({ archiveTarget: 's3', archiveS3Bucket: 'b', archiveS3ForcePathStyle: true, archiveS3Region: 'us-east-1' })
  })
})
