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
