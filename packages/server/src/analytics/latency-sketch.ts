/**
 * A mergeable latency sketch: counts per logarithmic bucket (DDSketch's mapping). Any quantile read
 * from it is within RELATIVE_ACCURACY of the true value at that rank, and sketches of disjoint sets
 * merge by adding counts, so hourly rollups can be combined into any range.
 */
export const RELATIVE_ACCURACY = 0.01
const GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY)
const LOG_GAMMA = Math.log(GAMMA)
/** Latencies below 1 µs (including 0) share one bucket. */
const ZERO_BUCKET = 'z'
const MIN_VALUE = 0.001

export type Sketch = Record<string, number>

export function sketchBucket(value: number): string {
  return value < MIN_VALUE ? ZERO_BUCKET : String(Math.ceil(Math.log(value) / LOG_GAMMA))
}

/** The value that represents a bucket: within RELATIVE_ACCURACY of every value in it. */
function bucketValue(bucket: string): number {
  if (bucket === ZERO_BUCKET) return 0
  return (2 * GAMMA ** Number(bucket)) / (GAMMA + 1)
}

/** Quantiles (0..1) of the sketch, by nearest rank; undefined when the sketch is empty. */
export function sketchQuantiles(sketch: Sketch, quantiles: number[]): (number | undefined)[] {
  const buckets = Object.entries(sketch)
    .filter(([, count]) => count > 0)
    .map(([bucket, count]) => ({ value: bucketValue(bucket), count }))
    .sort((a, b) => a.value - b.value)
  const total = buckets.reduce((sum, bucket) => sum + bucket.count, 0)
  if (total === 0) return quantiles.map(() => undefined)
  return quantiles.map((q) => {
    const rank = Math.max(1, Math.ceil(q * total))
    let seen = 0
    for (const bucket of buckets) {
      seen += bucket.count
      if (seen >= rank) return bucket.value
    }
    return buckets.at(-1)!.value
  })
}

/** Exact nearest-rank quantiles of raw values, for the scan path and for tests. */
export function exactQuantiles(values: number[], quantiles: number[]): (number | undefined)[] {
  if (values.length === 0) return quantiles.map(() => undefined)
  const sorted = [...values].sort((a, b) => a - b)
  return quantiles.map((q) => sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1])
}
