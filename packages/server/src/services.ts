import { KeysService } from './admin/keys.service.js'
import { TenantsService } from './admin/tenants.service.js'
import { AuthService } from './auth/auth.service.js'
import { GroupCommitWriter } from './ingest/group-commit.writer.js'
import { InteractionsService } from './interactions/interactions.service.js'
import { OtlpJoins } from './otlp/otlp.joins.js'
import { OtlpService } from './otlp/otlp.service.js'
import { systemClock, uuidv7Ids, type Clock, type IdGenerator } from './runtime/clock.js'
import type { Store } from './store/store.js'

export interface Services {
  store: Store
  writer: GroupCommitWriter
  auth: AuthService
  tenants: TenantsService
  keys: KeysService
  interactions: InteractionsService
  otlp: OtlpService
}

export interface ServiceOptions {
  writerBatchRows: number
  clock?: Clock
  ids?: IdGenerator
}

/** The composition root: every service gets only what it uses. Shared by the server and the CLI. */
export function createServices(store: Store, options: ServiceOptions): Services {
  const clock = options.clock ?? systemClock
  const ids = options.ids ?? uuidv7Ids
  const writer = new GroupCommitWriter(store.interactions, { maxBatchRows: options.writerBatchRows })
  const tenants = new TenantsService(store.tenants, clock, ids)
  const interactions = new InteractionsService(store.interactions, writer, clock, ids)
  return {
    store,
    writer,
    auth: new AuthService(store.keys),
    tenants,
    keys: new KeysService(store.keys, tenants, clock, ids),
    interactions,
    otlp: new OtlpService(interactions, new OtlpJoins(store, clock), clock),
  }
}
