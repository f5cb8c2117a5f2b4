import type { Validation } from '@interlog/schema'
import type { Kysely } from 'kysely'
import type { ValidationStore, Visibility } from '../store.js'
import type { Database } from './database.js'
import { fromJsonText, toFlag, toJsonText } from './json-text.js'
import { attachedHistory, visibleInteraction } from './visible-interaction.js'

type Db = Kysely<Database>
type ValidationRow = Database['validations']

export const toValidation = (row: ValidationRow): Validation => ({
  id: row.id,
  interaction_id: row.interaction_id,
  passed: row.passed === 1,
  score: row.score === null ? null : Number(row.score),
  errors: fromJsonText<Validation['errors']>(row.errors) ?? [],
  warnings: fromJsonText<Validation['warnings']>(row.warnings) ?? [],
  duration_ms: row.duration_ms === null ? null : Number(row.duration_ms),
  original: fromJsonText(row.original),
  edited: fromJsonText(row.edited),
  diff: fromJsonText<Validation['diff']>(row.diff),
  user_edited: row.user_edited === 1,
  created_at: row.created_at,
})

/** The stored row of a validation of an interaction of `userId` (kept so erasure finds it). */
export const toValidationRow = (tenantId: string, userId: string | null, validation: Validation): ValidationRow => ({
  tenant_id: tenantId,
  id: validation.id,
  interaction_id: validation.interaction_id,
  user_id: userId,
  passed: toFlag(validation.passed),
  score: validation.score,
  errors: JSON.stringify(validation.errors),
  warnings: JSON.stringify(validation.warnings),
  duration_ms: validation.duration_ms,
  original: toJsonText(validation.original),
  edited: toJsonText(validation.edited),
  diff: toJsonText(validation.diff),
  user_edited: toFlag(validation.user_edited),
  created_at: validation.created_at,
})

/** Validation history; the latest validation's outcome is also kept on the interaction. */
export class KyselyValidationStore implements ValidationStore {
  constructor(
    private readonly db: Db,
    /** PostgreSQL locks the interaction so concurrent validations of it apply in turn. */
    private readonly lockRows: boolean,
  ) {}

  add(tenantId: string, validation: Validation, visibility: Visibility): Promise<Validation | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const interaction = await visibleInteraction(trx, tenantId, validation.interaction_id, visibility, this.lockRows).select('user_id').executeTakeFirst()
      if (!interaction) return undefined
      await trx.insertInto('validations').values(toValidationRow(tenantId, interaction.user_id, validation)).execute()
      await trx
        .updateTable('interactions')
        .set({ validation_passed: toFlag(validation.passed), validation_score: validation.score, validation_user_edited: toFlag(validation.user_edited) })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', validation.interaction_id)
        .execute()
      return validation
    })
  }

  async history(tenantId: string, interactionId: string): Promise<Validation[]> {
    const rows = await attachedHistory(this.db, 'validations', tenantId, [interactionId]).execute()
    return rows.map(toValidation)
  }

  deleteForUser(tenantId: string, userId: string): Promise<number> {
    return deleteValidationsOfUser(this.db, tenantId, userId)
  }
}

/** Removes the validations of one end user's interactions (in a transaction when given one); answers how many. */
export async function deleteValidationsOfUser(db: Db, tenantId: string, userId: string): Promise<number> {
  const result = await db.deleteFrom('validations').where('tenant_id', '=', tenantId).where('user_id', '=', userId).executeTakeFirst()
  return Number(result.numDeletedRows)
}
