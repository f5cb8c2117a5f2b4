import { SessionConflictError, type SessionStore } from '@interlog/flows'
import type { FlowSession } from '@interlog/schema'
import type { FlowStore } from '../store/store.js'

/** The flows library's SessionStore for one tenant, over the database's flow_sessions. */
export function tenantSessionStore(store: FlowStore, tenantId: string): SessionStore {
  return {
    load: (flowId, sessionId) => store.getSession(tenantId, flowId, sessionId, {}),
    async save(state: FlowSession) {
      if (!(await store.saveSession(tenantId, state))) throw new SessionConflictError(state.flow_id, state.session_id)
    },
  }
}
