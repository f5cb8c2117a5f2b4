import { REDACTION_KINDS, type Interaction, type InteractionInput } from '@interlog/schema'
import { redactInteraction } from '../../packages/server/dist/privacy/redaction/redaction.targets.js'
import { Redactor } from '../../packages/server/dist/privacy/redaction/redactor.js'

/**
 * CPU time redaction adds per interaction, measured in-process on the benchmark's own data set with
 * every built-in kind on: steadier than comparing two HTTP runs when other work shares the machine.
 */
export function redactionMicrosPerItem(interactions: InteractionInput[], durationMs = 2_000): number {
  const redactor = new Redactor({ kinds: [...REDACTION_KINDS], custom_patterns: [], phone_default_country: 'US' })
  const copies = () => interactions.map((item) => ({ ...item, metadata: { ...item.metadata } }) as Interaction)
  for (const copy of copies()) redactInteraction(redactor, copy) // warm-up
  let items = 0
  let cpu = 0
  const stopAt = performance.now() + durationMs
  while (performance.now() < stopAt) {
    const batch = copies()
    const before = process.cpuUsage()
    for (const copy of batch) redactInteraction(redactor, copy)
    const used = process.cpuUsage(before)
    cpu += used.user + used.system
    items += batch.length
  }
  return cpu / items
}
