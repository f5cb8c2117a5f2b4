import {
  CollectionSettings,
  CollectionSettingsUpdate,
  ErrorBody,
  RedactionSettings,
  RedactionSettingsUpdate,
  UserDataErasure,
  UserIdParams,
} from '@interlog/schema'
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { authOf } from '../http/auth.hook.js'
import type { ErasureService } from './erasure.service.js'
import type { PrivacySettingsService } from './privacy-settings.service.js'

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 429: ErrorBody }

/** Redaction and collection settings (scope admin) and the erasure of an end user's data (scope delete). */
export function privacyRoutes(app: FastifyInstance, settings: PrivacySettingsService, erasure: ErasureService): void {
  const r = app.withTypeProvider<ZodTypeProvider>()
  const tags = ['privacy']
  const admin = { scope: 'admin' as const }

  r.get(
    '/v1/settings/redaction',
    { config: admin, schema: { tags, summary: 'What ingest redacts for this tenant', response: { 200: RedactionSettings, ...errors } } },
    async (request) => settings.redaction(authOf(request)),
  )

  r.put(
    '/v1/settings/redaction',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Choose what ingest replaces with placeholders before anything is stored (emails, phones, cards, national ids, IPs, secrets, custom patterns)',
        body: RedactionSettingsUpdate,
        response: { 200: RedactionSettings, ...errors },
      },
    },
    async (request) => settings.putRedaction(authOf(request), request.body),
  )

  r.get(
    '/v1/settings/collection',
    { config: admin, schema: { tags, summary: 'Whether this tenant collects data', response: { 200: CollectionSettings, ...errors } } },
    async (request) => settings.collection(authOf(request)),
  )

  r.put(
    '/v1/settings/collection',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Switch data collection on or off; while off, ingest and feedback answer 403 collection_disabled and store nothing',
        body: CollectionSettingsUpdate,
        response: { 200: CollectionSettings, ...errors },
      },
    },
    async (request) => settings.putCollection(authOf(request), request.body),
  )

  r.delete(
    '/v1/users/:user_id/data',
    {
      config: { scope: 'delete' },
      schema: {
        tags,
        summary: "Erase an end user's interactions and everything attached to them, hot and archived; answers the counts (a user-bound key: only its own user)",
        description:
          'The hot store is erased in one transaction, then the archive objects that held the user are rewritten without them. ' +
          'Both run under the tenant\'s archive lock: while an archive run, restore or export of archived data holds it past the wait, ' +
          'the answer is 409 and nothing is erased. Should the archive step fail after the hot store was erased, the answer is 503; send the request again to finish.',
        params: UserIdParams,
        response: { 200: UserDataErasure, ...errors, 409: ErrorBody, 503: ErrorBody },
      },
    },
    async (request) => erasure.eraseUser(authOf(request), request.params.user_id),
  )
}
