/** Where the bar draws: a terminal (stderr), so stdout keeps only the results. */
export interface BarOutput {
  write(text: string): unknown
  isTTY?: boolean
  columns?: number
}

const WIDTH = 30
const REDRAW_MS = 100

/**
 * A one-line progress bar redrawn in place: `label [#######-------] 45% 4,500/10,000 records 3,210/s`.
 * Draws only on a terminal; elsewhere (pipes, CI logs) it stays silent.
 */
export class ProgressBar {
  private total = 0
  private done = 0
  private label = ''
  private started = Date.now()
  private drawnAt = 0
  private visible = false

  constructor(private readonly output: BarOutput) {}

  begin(label: string, total: number): void {
    this.finish()
    this.label = label
    this.total = total
    this.done = 0
    this.started = Date.now()
    this.draw(true)
  }

  update(done: number): void {
    this.done = done
    this.draw(false)
  }

  /** Draws the final state and moves to the next line. */
  finish(): void {
    if (!this.visible) return
    this.draw(true)
    this.output.write('\n')
    this.visible = false
  }

  /** Clears the line so other output can be printed below it, then draws the bar again under it. */
  interrupt(write: () => void): void {
    const shown = this.visible
    if (shown) this.output.write('\r\u001b[2K')
    this.visible = false
    write()
    if (shown) this.draw(true)
  }

  /** The bar's text, without drawing it. */
  render(): string {
    const share = this.total > 0 ? Math.min(1, this.done / this.total) : 1
    const filled = Math.round(share * WIDTH)
    const seconds = (Date.now() - this.started) / 1000
    const rate = seconds > 0 ? Math.round(this.done / seconds) : 0
    return (
      `${this.label} [${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${String(Math.floor(share * 100)).padStart(3)}% ` +
      `${this.done.toLocaleString('en-US')}/${this.total.toLocaleString('en-US')} records ${rate.toLocaleString('en-US')}/s`
    )
  }

  private draw(force: boolean): void {
    if (!this.output.isTTY) return
    const now = Date.now()
    if (!force && now - this.drawnAt < REDRAW_MS) return
    this.drawnAt = now
    const line = this.render().slice(0, Math.max(20, (this.output.columns ?? 120) - 1))
    this.output.write(`\r\u001b[2K${line}`)
    this.visible = true
  }
}
