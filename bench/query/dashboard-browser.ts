import { chromium } from 'playwright-core'

const CHROMIUM = process.env.INTERLOG_CHROMIUM ?? '/usr/bin/chromium'
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run']

export interface BrowserTiming {
  label: string
  ms: number[]
}

/**
 * The interactions page in Chromium with the stored rows: from navigation until the table shows
 * rows; a filter change until the table shows the filtered rows; the next page. Each a few times.
 */
export async function timeInteractionsPage(baseUrl: string, key: string, rounds: number): Promise<BrowserTiming[]> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS })
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    const errors: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text())
    })
    await page.goto(baseUrl)
    await page.getByLabel('API key').fill(key)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByTestId('kpi-interactions').waitFor({ timeout: 60_000 })
    const rows = page.locator('[data-testid=interactions-table] tbody tr')
    const timings: BrowserTiming[] = [
      { label: 'page load → table', ms: [] },
      { label: 'filter → table', ms: [] },
      { label: 'next page → table', ms: [] },
    ]
    for (let round = 0; round < rounds; round++) {
      let start = performance.now()
      await page.goto(`${baseUrl}/interactions`)
      await rows.first().waitFor()
      timings[0]!.ms.push(performance.now() - start)

      const before = await rows.first().getAttribute('data-id')
      start = performance.now()
      await page.getByLabel('Feedback').selectOption(round % 2 ? 'thumbs_down' : 'accepted')
      await page.waitForFunction((id) => document.querySelector('[data-testid=interactions-table] tbody tr')?.getAttribute('data-id') !== id, before)
      timings[1]!.ms.push(performance.now() - start)

      const first = await rows.first().getAttribute('data-id')
      start = performance.now()
      await page.getByRole('button', { name: 'Next →' }).click()
      await page.waitForFunction((id) => document.querySelector('[data-testid=interactions-table] tbody tr')?.getAttribute('data-id') !== id, first)
      timings[2]!.ms.push(performance.now() - start)
    }
    if (errors.length > 0) throw new Error(`console errors in the dashboard: ${errors.join('; ')}`)
    return timings
  } finally {
    await browser.close()
  }
}
