import Database from 'better-sqlite3'
import pg from 'pg'
import type { InteractionInput } from '@interlog/schema'

/** A cost as the pricing step would set it (the bench writes through the store, which does not price). */
export function withCost(input: InteractionInput): InteractionInput {
  input.cost_usd = ((input.prompt_tokens ?? 0) * 0.4 + (input.completion_tokens ?? 0) * 1.6) / 1e6
  return input
}

/**
 * Feedback as the dashboard filters it: the latest kind and quality score on 1 in 20 interactions
 * (kinds and scores spread by a hash of the row), written straight into the columns the list reads.
 */
export async function seedFeedback(options: { sqliteFile: string; pgUrl: string; schema?: string }): Promise<number> {
  const kinds = (h: string) => `CASE ${h} % 4 WHEN 0 THEN 'thumbs_up' WHEN 1 THEN 'thumbs_down' WHEN 2 THEN 'accepted' ELSE 'modified' END`
  if (options.schema) {
    const client = new pg.Client({ connectionString: options.pgUrl })
    await client.connect()
    await client.query(`SET search_path = "${options.schema}"`)
    const result = await client.query(
      `UPDATE interactions SET feedback_kind = ${kinds('h')}, feedback_quality_score = h % 101
       FROM (SELECT tenant_id AS t, id AS i, abs(hashtext(id)::bigint) / 20 AS h FROM interactions WHERE abs(hashtext(id)::bigint) % 20 = 0) AS picked
       WHERE tenant_id = picked.t AND id = picked.i`,
    )
    await client.end()
    return result.rowCount ?? 0
  }
  const db = new Database(options.sqliteFile)
  const result = db
    .prepare(
      `UPDATE interactions SET feedback_kind = ${kinds('(rowid / 20)')}, feedback_quality_score = (rowid / 20) % 101 WHERE rowid % 20 = 0`,
    )
    .run()
  db.close()
  return result.changes
}
