import type { Interaction } from '@interlog/schema'
import { NotFoundError } from '../errors/errors.js'
import type { InteractionStore, Visibility } from '../store/store.js'
import type { AuthContext } from './auth-context.js'

/** A user-bound key sees only its user's rows. */
export const visibilityOf = (auth: AuthContext): Visibility => (auth.userId === undefined ? {} : { userId: auth.userId })

/** The interaction the key may see, for what attaches to it (feedback, validations, examples); else a 404. */
export async function visibleInteraction(interactions: Pick<InteractionStore, 'get'>, auth: AuthContext, id: string): Promise<Interaction> {
  const interaction = await interactions.get(auth.tenantId, id, visibilityOf(auth))
  if (!interaction) throw new NotFoundError(`Interaction '${id}'`)
  return interaction
}
