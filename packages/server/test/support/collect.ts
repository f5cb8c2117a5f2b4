import type { ApiClient } from './http.js'

/** Every interaction id visible to the client, walked with the keyset cursor. */
export async function collectIds(client: ApiClient, query = ''): Promise<Set<string>> {
  const ids = new Set<string>()
  let cursor: string | null = null
  do {
    const page: { status: number; body: any } = await client.get(`/v1/interactions?limit=200${query}${cursor ? `&cursor=${cursor}` : ''}`)
    if (page.status !== 200) throw new Error(`list failed: ${JSON.stringify(page.body)}`)
    for (const interaction of page.body.interactions as { id: string }[]) ids.add(interaction.id)
    cursor = page.body.next_cursor
  } while (cursor)
  return ids
}

/** The interactions of one model, oldest first (OTLP tests give each case its own model name). */
export async function interactionsOfModel(client: ApiClient, model: string): Promise<any[]> {
  const list = await client.get(`/v1/interactions?model=${encodeURIComponent(model)}&limit=200`)
  if (list.status !== 200) throw new Error(`list failed: ${JSON.stringify(list.body)}`)
  return (list.body.interactions as { timestamp: string }[]).sort((a, b) => a.timestamp.localeCompare(b.timestamp))
}
