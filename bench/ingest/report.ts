import { cpus } from 'node:os'
import { GOALS, type BenchConfig, type StoreKind } from './bench-config.js'
import type { BaselineResult } from './baseline.js'
import type { HttpRunResult } from './http-run.js'

export interface StoreReport {
  store: StoreKind
  http: HttpRunResult
  baseline: BaselineResult
  /** Why acknowledged writes are on disk for this store, or why they may not be. */
  durability: { durable: boolean; note: string }
}

/** Nearest-rank percentile of unsorted samples. */
export function percentile(samples: number[], fraction: number): number {
  if (samples.length === 0) return Number.NaN
  const sorted = [...samples].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!
}

const perSecond = (items: number, ms: number) => (ms > 0 ? (items * 1000) / ms : 0)
const whole = (n: number) => Math.round(n).toLocaleString('en-US')

/** Problems that make a run's figures untrustworthy, whatever its speed. */
function problems(report: StoreReport): string[] {
  const { http } = report
  const found: string[] = []
  if (http.failedRequests > 0) found.push(`${http.failedRequests} failed request(s), first: ${http.firstFailure}`)
  if (http.storedItems !== http.acknowledgedItems) {
    found.push(`stored ${http.storedItems} rows but acknowledged ${http.acknowledgedItems}`)
  }
  if (!report.durability.durable) found.push(`not durable: ${report.durability.note}`)
  return found
}

/** `loadBefore`: the 1-minute load average when the benchmark started; other work skews every figure. */
export function printReport(reports: StoreReport[], config: BenchConfig, itemBytes: number, loadBefore: number): void {
  const header = ['store', 'interactions/s', 'p50 ms', 'p99 ms', 'baseline rows/s', 'ratio', 'goal/s', 'result']
  const cpuHeader = ['store', 'server µs/item', 'load generator µs/item', 'baseline µs/row']
  const rows = reports.map((report) => {
    const httpRate = perSecond(report.http.measuredItems, report.http.measuredMs)
    const baselineRate = perSecond(report.baseline.measuredRows, report.baseline.measuredMs)
    const goal = GOALS[report.store]
    const found = problems(report)
    const verdict = httpRate >= goal && found.length === 0 ? 'PASS' : 'FAIL'
    return {
      report,
      found,
      verdict,
      cells: [
        report.store,
        whole(httpRate),
        percentile(report.http.latenciesMs, 0.5).toFixed(1),
        percentile(report.http.latenciesMs, 0.99).toFixed(1),
        whole(baselineRate),
        baselineRate > 0 ? (httpRate / baselineRate).toFixed(2) : 'n/a',
        whole(goal),
        verdict,
      ],
      cpuCells: [
        report.store,
        whole((report.http.serverCpuMs * 1000) / report.http.acknowledgedItems),
        whole((report.http.cpuMs * 1000) / report.http.acknowledgedItems),
        whole((report.baseline.cpuMs * 1000) / report.baseline.createdRows),
      ],
    }
  })

  console.log(
    `\ningest benchmark: ${config.durationMs / 1000} s per run after ${config.warmupMs / 1000} s warm-up, ` +
      `batches of ${config.batchSize} items of ~${whole(itemBytes)} B, ${config.concurrency} requests in flight; ` +
      `redaction ${config.redaction ? 'on (every built-in kind)' : 'off'}; ` +
      `${cpus().length} CPUs, load average before the runs ${loadBefore.toFixed(2)}\n`,
  )
  printTable(header, rows.map((row) => row.cells))
  console.log('ratio = HTTP interactions/s ÷ baseline rows/s: the same rows written in-process by store.interactions.insertGroups,')
  console.log('        same batch size, one transaction at a time\n')
  printTable(cpuHeader, rows.map((row) => row.cpuCells))
  console.log('CPU time (user + system) per item; PostgreSQL’s own processes are not counted.')
  console.log('Steadier than rates when other work shares the machine.\n')
  for (const { report, found, verdict } of rows) {
    const checks = found.length === 0 ? 'checks ok' : found.join('; ')
    console.log(
      `${report.store}: goal ${whole(GOALS[report.store])}/s durably: ${verdict}. ${whole(report.http.storedItems)} rows stored = ` +
        `${whole(report.http.acknowledgedItems)} acknowledged; ${report.durability.note}; ${checks}`,
    )
  }
}

function printTable(header: string[], lines: string[][]): void {
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column]!.length)))
  const format = (cells: string[]) => cells.map((cell, column) => cell.padStart(widths[column]!)).join('  ')
  console.log(format(header))
  console.log(format(widths.map((width) => '-'.repeat(width))))
  for (const line of lines) console.log(format(line))
  console.log()
}
