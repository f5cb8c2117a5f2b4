import { z } from 'zod'
import { Scope } from './scopes.js'

export const SessionSignInInput = z
  .strictObject({ key: z.string().min(1).max(512).meta({ description: 'an API key with the read scope' }) })
  .meta({ id: 'SessionSignIn' })

/** Who is signed in to the dashboard (or calling with a bearer key), and what their key may do. */
export const Session = z
  .object({
    signed_in: z.boolean(),
    via: z.enum(['session', 'key']).optional().meta({ description: 'the session cookie, or a bearer key' }),
    tenant_id: z.string().optional(),
    tenant_name: z.string().optional(),
    key_id: z.string().optional(),
    scopes: z.array(Scope).optional(),
    user_id: z.string().nullable().optional().meta({ description: 'set when the key is bound to one end user' }),
    expires_at: z.string().nullable().optional().meta({ description: 'when the session ends (null for a bearer key)' }),
  })
  .meta({ id: 'Session' })
export type Session = z.infer<typeof Session>
