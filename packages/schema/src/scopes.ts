import { z } from 'zod'

/** What an API key may do. `admin` manages keys and settings of its own tenant. */
export const SCOPES = ['ingest', 'read', 'analytics:view', 'feedback', 'export', 'delete', 'admin'] as const
export const Scope = z.enum(SCOPES)
export type Scope = z.infer<typeof Scope>
