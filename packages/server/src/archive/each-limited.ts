/** Runs `work` over the items, at most `limit` at a time (uploads to object storage overlap well). */
export async function eachLimited<T>(items: T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const index = next++
      await work(items[index]!, index)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}

/** Objects written, read or deleted at once. */
export const PARALLEL_OBJECTS = 4
