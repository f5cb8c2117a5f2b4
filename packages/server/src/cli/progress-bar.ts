/** Where progress goes: stderr, so the data itself can go to stdout. */
export interface ProgressStream {
  write(text: string): unknown
  isTTY?: boolean
}

const WIDTH = 30
const format = (n: number) => n.toLocaleString('en-US')

/**
 * A one-line progress bar redrawn in place on a terminal (at most every 100 ms); elsewhere (a log
 * file, CI) one line per 10% so the output stays short.
 */
export class ProgressBar {
  private lastDraw = 0
  private lastStep = -1
  private readonly started = Date.now()

  constructor(
    private readonly stream: ProgressStream,
    private readonly total: number,
    private readonly unit: string,
  ) {}

  update(done: number, force = false): void {
    const fraction = this.total > 0 ? Math.min(1, done / this.total) : 1
    if (this.stream.isTTY) {
      const now = Date.now()
      if (!force && now - this.lastDraw < 100) return
      this.lastDraw = now
      const filled = Math.round(fraction * WIDTH)
      this.stream.write(`\r[${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${this.describe(done, fraction)}`)
      return
    }
    const step = Math.floor(fraction * 10)
    if (step === this.lastStep && !force) return
    this.lastStep = step
    this.stream.write(`${this.describe(done, fraction)}\n`)
  }

  finish(done: number): void {
    // A terminal gets its final redraw; elsewhere the 100% line is written once.
    this.update(done, this.stream.isTTY)
    if (this.stream.isTTY) this.stream.write('\n')
  }

  private describe(done: number, fraction: number): string {
    const seconds = (Date.now() - this.started) / 1000
    const rate = seconds > 0 ? Math.round(done / seconds) : 0
    return `${Math.round(fraction * 100)}% ${format(done)}/${format(this.total)} ${this.unit} (${format(rate)}/s)`
  }
}
