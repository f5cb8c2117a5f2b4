import { createContext, useContext } from 'react'
import type { Scope, Session } from '../api/types'

export interface SessionContextValue {
  session: Session
  can: (scope: Scope) => boolean
  signOut: () => void
}

export const SessionContext = createContext<SessionContextValue>({ session: { signed_in: false }, can: () => false, signOut: () => {} })

/** Who is signed in, and what their key's scopes allow (what they do not is hidden or disabled). */
export const useSession = () => useContext(SessionContext)
