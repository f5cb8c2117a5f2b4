import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { promisify } from 'node:util'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { freshDatabase, STORE_KINDS } from '../../server/test/support/databases.js'
import { apiClient, keyFor, tenantWithKey, type ApiClient } from '../../server/test/support/http.js'
import { CLI_PATH, startServerProcess, TEST_ADMIN_KEY, type ServerProcess } from '../../server/test/support/server-process.js'
import { launchChromium, parseCsv, screenshot, VIEWPORT, watchConsole } from './support/browser.js'

const run = promisify(execFile)
const formatInt = (n: number) => n.toLocaleString('en-US')
const formatRate = (rate: number) => `${(rate * 100).toFixed(1)}%`
/** The whole count line the interactions page shows for `count` rows (a part of it may match another view's line). */
const countLine = (count: number, filtered: boolean) => `${formatInt(count)} ${count === 1 ? 'interaction' : 'interactions'}${filtered ? ' match these filters' : ''}`

/**
 * The dashboard in a real browser (Debian's Chromium through playwright-core) against a real
 * `interlog serve` process loaded by `interlog demo`: what a person does, checked against the API.
 */
describe.each(STORE_KINDS)('dashboard in Chromium on %s', (kind) => {
  const database = freshDatabase(kind, 'dashboard')
  const globalArgs = ['--data', database.dataDir, ...(database.databaseUrl ? ['--database-url', database.databaseUrl] : [])]
  const env = { ...process.env, INTERLOG_DATABASE_SCHEMA: database.databaseSchema ?? '' }
  // Screenshots come from one store only, so a run leaves one set.
  const shoot = (page: Page, name: string) => (kind === 'sqlite' ? screenshot(page, name) : Promise.resolve())
  let server: ServerProcess
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let errors: string[]
  let demo: { key: string; tenant_id: string; interactions: number }
  let api: ApiClient

  beforeAll(async () => {
    const { stdout } = await run(process.execPath, [CLI_PATH, 'demo', '--count', '300', ...globalArgs, '--json'], { env })
    demo = JSON.parse(stdout)
    server = await startServerProcess({ args: globalArgs, env: { INTERLOG_DATABASE_SCHEMA: database.databaseSchema } })
    api = apiClient(server.url, demo.key)
    browser = await launchChromium()
    context = await browser.newContext({ viewport: VIEWPORT, acceptDownloads: true })
    page = await context.newPage()
    errors = watchConsole(page)
  })
  afterEach(() => {
    expect(errors, 'console errors').toEqual([])
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    await database.cleanup()
  })

  it('signs in with a key; the overview shows the numbers the API gives', async () => {
    await page.goto(server.url)
    await page.getByLabel('API key').waitFor()
    await shoot(page, 'sign-in')
    const metrics = page.waitForResponse((response) => response.url().includes('/v1/metrics') && response.url().includes('group_by=type'))
    await page.getByLabel('API key').fill(demo.key)
    await page.getByRole('button', { name: 'Sign in' }).click()
    const metricsUrl = new URL((await metrics).url())
    await page.getByTestId('kpi-interactions').waitFor()
    expect(await page.getByTestId('tenant-name').textContent()).toBe('demo')
    // The cookie is HttpOnly and holds a random token, not the key.
    const cookies = await context.cookies()
    expect(cookies).toEqual([expect.objectContaining({ name: 'interlog_session', httpOnly: true, sameSite: 'Strict' })])
    expect(cookies[0]!.value).not.toContain(demo.key)

    const { body } = await api.get(metricsUrl.pathname + metricsUrl.search)
    const totals = body.totals
    expect(totals.count).toBeGreaterThan(0)
    const kpi = (id: string) => page.getByTestId(`kpi-${id}`).locator('.kpi-value').textContent()
    expect(await kpi('interactions')).toBe(formatInt(totals.count))
    expect(await kpi('success-rate')).toBe(formatRate(totals.success_rate))
    expect(await kpi('feedback-rate')).toBe(formatRate(totals.feedback.feedback_rate))
    expect(await kpi('handoff-rate')).toBe(formatRate(totals.agent.handoff_rate))
    expect(await kpi('data-quality')).toBe(formatRate(totals.data_quality.all_variables_present_rate))
    await page.locator('.kpi-change').first().filter({ hasText: 'vs previous' }).waitFor()
    await page.waitForLoadState('networkidle')
    await shoot(page, 'overview')
  })

  it('lists interactions and filters them by status and feedback, with the filters in the URL', async () => {
    await page.getByRole('link', { name: 'Interactions' }).click()
    await page.getByTestId('interactions-table').waitFor()
    const all = await api.get('/v1/interactions?limit=1')
    await expect.poll(() => page.getByTestId('total-count').textContent()).toBe(countLine(all.body.total_count, false))
    await shoot(page, 'interactions')

    await page.getByLabel('Status').selectOption('failure')
    await page.waitForURL(/status=failure/)
    const failures = await api.get('/v1/interactions?status=failure&limit=1')
    const column = (n: number) => page.locator(`[data-testid=interactions-table] tbody tr td:nth-child(${n})`).allTextContents()
    // The rows, not only the count line: two views can show the same count (the demo has as many failures as thumbs up).
    await expect.poll(async () => new Set(await column(3))).toEqual(new Set(['failure']))
    expect(await column(3)).toHaveLength(Math.min(50, failures.body.total_count))
    await expect.poll(() => page.getByTestId('total-count').textContent()).toBe(countLine(failures.body.total_count, true))

    await page.getByLabel('Status').selectOption('')
    await page.getByLabel('Feedback').selectOption('thumbs_up')
    await page.waitForURL((url) => url.searchParams.get('feedback_kind') === 'thumbs_up' && !url.searchParams.has('status'))
    const liked = await api.get('/v1/interactions?feedback_kind=thumbs_up&limit=1')
    await expect.poll(async () => (await column(9)).every((text) => text.startsWith('▲ up'))).toBe(true)
    expect(await column(9)).toHaveLength(Math.min(50, liked.body.total_count))
    await expect.poll(() => page.getByTestId('total-count').textContent()).toBe(countLine(liked.body.total_count, true))

    // A shared link opens the same view.
    const shared = page.url()
    await page.goto(shared)
    await expect.poll(() => page.getByTestId('total-count').textContent()).toBe(countLine(liked.body.total_count, true))
    expect(await page.getByLabel('Feedback').inputValue()).toBe('thumbs_up')
  })

  it('searches, sorts by latency, and pages with the keyset cursor', async () => {
    await page.getByRole('button', { name: 'Clear' }).click()
    await page.getByLabel('Search', { exact: true }).fill('refund')
    await page.getByLabel('Search', { exact: true }).press('Enter')
    await page.waitForURL(/q=refund/)
    const found = await api.get('/v1/interactions?q=refund&limit=1')
    expect(found.body.total_count).toBeGreaterThan(0)
    await expect.poll(() => page.getByTestId('total-count').textContent()).toBe(countLine(found.body.total_count, true))

    await page.getByRole('button', { name: 'Clear' }).click()
    await page.getByRole('button', { name: /Latency/ }).click()
    await page.waitForURL(/sort=slowest/)
    const slowest = await api.get('/v1/interactions?sort=slowest&limit=50')
    const firstId = () => page.locator('[data-testid=interactions-table] tbody tr').first().getAttribute('data-id')
    await expect.poll(firstId).toBe(slowest.body.interactions[0].id)
    await page.getByRole('button', { name: 'Next →' }).click()
    await page.waitForURL(/cursor=/)
    const second = await api.get(`/v1/interactions?sort=slowest&limit=50&cursor=${slowest.body.next_cursor}`)
    await expect.poll(firstId).toBe(second.body.interactions[0].id)
    await page.getByRole('button', { name: '← Previous' }).click()
    await expect.poll(firstId).toBe(slowest.body.interactions[0].id)
  })

  it('opens a detail, records feedback (stored, as the API shows), and opens its thread', async () => {
    const withTools = (await api.get('/v1/interactions?type=support_chat&limit=200')).body.interactions.find(
      (it: { tool_calls?: unknown[]; thread_id?: string; status: string }) => (it.tool_calls ?? []).length > 0 && it.thread_id && it.status === 'success',
    )
    expect(withTools).toBeDefined()
    await page.goto(`${server.url}/interactions?thread_id=${withTools.thread_id}`)
    await page.locator(`[data-testid=interactions-table] tr[data-id="${withTools.id}"] a`).click()
    await page.waitForURL(new RegExp(`/interactions/${withTools.id}$`))
    await page.getByRole('heading', { name: /^Tool calls \(1/ }).waitFor()
    expect(await page.getByTestId('response').textContent()).toBe(withTools.assistant_response)
    await shoot(page, 'detail')

    await page.getByRole('button', { name: '▼ Bad' }).click()
    await expect.poll(() => page.getByTestId('feedback-status').textContent()).toBe('Saved: thumbs down')
    await page.getByLabel('Kind').selectOption('modified')
    await page.getByLabel('Quality (0–100)').fill('40')
    await page.getByLabel('Comment').fill('Wrong delivery date')
    await page.getByLabel('Correction (the output it should have given)').fill('It arrives on Friday.')
    await page.getByRole('button', { name: 'Save feedback' }).click()
    await expect.poll(() => page.getByTestId('feedback-status').textContent()).toBe('Saved: modified')
    const history = (await api.get(`/v1/interactions/${withTools.id}/feedback`)).body.feedback
    expect(history.slice(-2)).toMatchObject([
      { kind: 'thumbs_down' },
      { kind: 'modified', quality_score: 40, comment: 'Wrong delivery date', correction: 'It arrives on Friday.' },
    ])
    expect((await api.get(`/v1/interactions/${withTools.id}`)).body).toMatchObject({ feedback_kind: 'modified', feedback_quality_score: 40 })
    await page.getByTestId('feedback-history').getByText('Wrong delivery date').waitFor()

    await page.getByTestId('thread-link').click()
    await page.waitForURL(new RegExp(`/threads/${withTools.thread_id}$`))
    const thread = (await api.get(`/v1/threads/${withTools.thread_id}`)).body
    await expect.poll(() => page.locator('[data-testid=transcript] > li').count()).toBe(thread.interactions.length)
    await shoot(page, 'thread')
    await page.getByTestId('turn-link').first().click()
    await page.waitForURL(new RegExp(`/interactions/${thread.interactions[0].id}$`))
  })

  it('shows new interactions live without losing the place', async () => {
    await page.goto(`${server.url}/interactions`)
    await page.getByTestId('interactions-table').waitFor()
    const before = (await api.get('/v1/interactions?limit=1')).body.total_count
    const created = await api.post('/v1/interactions', { type: 'support_chat', model: 'gpt-4o-mini', user_message: 'live row', assistant_response: 'hi' })
    expect(created.status).toBe(201)
    await page.locator(`tr[data-id="${created.body.id}"]`).waitFor({ timeout: 15_000 })
    expect(await page.locator('[data-testid=interactions-table] tbody tr').first().getAttribute('data-id')).toBe(created.body.id)
    await expect.poll(() => page.getByTestId('total-count').textContent()).toBe(countLine(before + 1, false))
  })

  it('exports the filtered view as CSV with the rows the API lists', async () => {
    await page.goto(`${server.url}/interactions?status=failure`)
    await page.getByTestId('interactions-table').waitFor()
    await page.getByText('Export ▾').click()
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()])
    const rows = parseCsv(await readFile((await download.path())!, 'utf8')).filter((row) => row.some((field) => field !== ''))
    const header = rows[0]!
    const idColumn = header.indexOf('id')
    expect(idColumn).toBeGreaterThanOrEqual(0)
    const listed = (await api.get('/v1/interactions?status=failure&limit=200')).body.interactions.map((it: { id: string }) => it.id)
    expect(rows.slice(1).map((row) => row[idColumn]).sort()).toEqual([...listed].sort())
    expect(rows.slice(1).every((row) => row[header.indexOf('status')] === 'failure')).toBe(true)
  })

  it('shows failures, data quality and the export page', async () => {
    await page.getByRole('link', { name: 'Failures' }).click()
    const failures = (await api.get('/v1/failures?limit=1')).body
    await page.getByText(`${formatInt(failures.total_count)} failed interactions`).waitFor()
    await shoot(page, 'failures')
    await page.getByRole('link', { name: 'Data quality' }).click()
    const quality = (await api.get('/v1/data-quality?limit=1')).body
    await expect.poll(() => page.getByTestId('dq-rate').textContent()).toBe(formatRate(quality.all_variables_present_rate))
    await shoot(page, 'data-quality')
    await page.getByRole('link', { name: 'Export', exact: true }).click()
    await page.getByTestId('export-page-csv').waitFor()
    expect(await page.getByTestId('export-page-csv').getAttribute('href')).toBe('/v1/export?format=csv')
    // From a filtered table, the export page carries its filters.
    await page.goto(`${server.url}/interactions?status=failure&q=limit`)
    await page.getByText('Export ▾').click()
    await page.getByRole('link', { name: 'More export options' }).click()
    await page.waitForURL(/\/export\?/)
    expect(await page.getByTestId('export-page-jsonl').getAttribute('href')).toBe('/v1/export?q=limit&status=failure&format=jsonl')
    await shoot(page, 'export')
  })

  it('exports archived interactions too when asked on the export page, but not with a search', async () => {
    const total = (await api.get('/v1/interactions?limit=1')).body.total_count as number
    // The demo spans 14 days: archive what is older than a week, as an operator would with the CLI.
    await run(process.execPath, [CLI_PATH, 'archive', '--days-old', '7', ...globalArgs], { env })
    const hot = (await api.get('/v1/interactions?limit=1')).body.total_count as number
    expect(hot).toBeGreaterThan(0)
    expect(hot).toBeLessThan(total)
    const downloaded = async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-page-jsonl').click()])
      const lines = (await readFile((await download.path())!, 'utf8')).split('\n').filter(Boolean)
      return lines.map((line) => (JSON.parse(line) as { id: string }).id)
    }
    await page.goto(`${server.url}/export`)
    await page.getByTestId('export-page-jsonl').waitFor()
    expect(await downloaded()).toHaveLength(hot)
    await page.getByTestId('export-include-archived').check()
    expect(await page.getByTestId('export-page-jsonl').getAttribute('href')).toBe('/v1/export?format=jsonl&include_archived=true')
    const all = await downloaded()
    expect(all).toHaveLength(total)
    expect(new Set(all).size).toBe(total)
    await page.goto(`${server.url}/export?q=refund`)
    await page.getByTestId('export-page-jsonl').waitFor()
    expect(await page.getByTestId('export-include-archived').isDisabled()).toBe(true)
    expect(await page.getByTestId('export-page-jsonl').getAttribute('href')).toBe('/v1/export?q=refund&format=jsonl')
  })

  it('works from the keyboard, with a visible focus ring', async () => {
    await page.goto(`${server.url}/failures`)
    await page.getByText('failed interactions').waitFor()
    await page.keyboard.press('Tab') // skip link
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content')
    await page.keyboard.press('Tab') // brand
    await page.keyboard.press('Tab') // Overview
    await page.keyboard.press('Tab') // Interactions
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('Interactions')
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)
    expect(outline).not.toBe('none')
    await page.keyboard.press('Enter')
    await page.waitForURL(/\/interactions$/)
    await page.getByTestId('interactions-table').waitFor()
  })

  it('signs out: the session ends on the server too', async () => {
    const [cookie] = await context.cookies()
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByLabel('API key').waitFor()
    expect(await context.cookies()).toEqual([])
    const reused = await fetch(`${server.url}/v1/interactions`, { headers: { cookie: `interlog_session=${cookie!.value}` } })
    expect(reused.status).toBe(401)
  })

  it('hides what a key may not do, ends the session when its key is revoked, and greets an empty tenant', async () => {
    const readOnly = await keyFor(server.url, demo.tenant_id, ['read'])
    const other = await browser.newContext({ viewport: VIEWPORT })
    const second = await other.newPage()
    const secondErrors = watchConsole(second)
    try {
      await second.goto(server.url)
      await second.getByLabel('API key').fill(readOnly.key)
      await second.getByRole('button', { name: 'Sign in' }).click()
      await second.getByTestId('interactions-table').waitFor()
      const nav = await second.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()
      expect(nav.map((text) => text.trim().slice(1).trim())).toEqual(['Interactions', 'Failures', 'Data quality'])
      expect(await second.getByText('Export ▾').count()).toBe(0)
      await second.locator('[data-testid=interactions-table] tbody tr a').first().click()
      await second.getByRole('heading', { name: 'Feedback' }).waitFor()
      expect(await second.getByRole('button', { name: '▲ Good' }).isDisabled()).toBe(true)
      await second.waitForLoadState('networkidle')

      await apiClient(server.url, TEST_ADMIN_KEY).delete(`/v1/admin/keys/${readOnly.keyId}`)
      await second.reload()
      await second.getByLabel('API key').waitFor()

      const empty = await tenantWithKey(server.url, `empty-${kind}`, ['read', 'analytics:view'])
      await second.goto(server.url)
      await second.getByLabel('API key').fill(empty.key)
      await second.getByRole('button', { name: 'Sign in' }).click()
      await second.getByTestId('empty-state').waitFor()
      expect(await second.getByTestId('empty-state').textContent()).toContain(`${server.url}/v1/interactions`)
      await shoot(second, 'empty-state')
      expect(secondErrors).toEqual([])
    } finally {
      await other.close()
    }
  })
})
