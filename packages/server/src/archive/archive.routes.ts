import {
  ArchiveBatchList,
  ArchiveBatchQuery,
  ArchiveRunRequest,
  ArchiveRunSummary,
  ErrorBody,
  RestoreRequest,
  RestoreResult,
  RetentionSettings,
  RetentionSettingsUpdate,
} from '@interlog/schema'
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { authOf } from '../http/auth.hook.js'
import type { ArchiveMaintenance } from './archive-maintenance.service.js'
import type { ArchiveService } from './archive.service.js'
import type { RetentionService } from './retention.service.js'

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 409: ErrorBody, 429: ErrorBody }

/** Retention settings, archive runs, archive metadata and restore: tenant-wide, so all need `admin`. */
export function archiveRoutes(app: FastifyInstance, retention: RetentionService, archive: ArchiveService, maintenance: ArchiveMaintenance): void {
  const r = app.withTypeProvider<ZodTypeProvider>()
  const config = { scope: 'admin' as const }

  r.get(
    '/v1/settings/retention',
    { config, schema: { tags: ['settings'], summary: "The tenant's retention policy (defaults until one is set)", response: { 200: RetentionSettings, ...errors } } },
    async (request) => retention.get(authOf(request)),
  )

  r.put(
    '/v1/settings/retention',
    {
      config,
      schema: {
        tags: ['settings'],
        summary: 'Set when interactions move to the archive, when archived ones are deleted, and the archive target',
        body: RetentionSettingsUpdate,
        response: { 200: RetentionSettings, ...errors },
      },
    },
    async (request) => retention.put(authOf(request), request.body),
  )

  const tags = ['archive']
  r.post(
    '/v1/archive',
    {
      config,
      schema: {
        tags,
        summary: "Archive the tenant's interactions older than its retention policy (or older_than_days) now; 409 while another run is busy",
        body: ArchiveRunRequest.nullish(),
        response: { 200: ArchiveRunSummary, ...errors },
      },
    },
    async (request) => archive.runForTenant(authOf(request), request.body),
  )

  r.get(
    '/v1/archive/batches',
    { config, schema: { tags, summary: 'Archived objects, newest first', querystring: ArchiveBatchQuery, response: { 200: ArchiveBatchList, ...errors } } },
    async (request) => archive.listBatches(authOf(request), request.query),
  )

  r.post(
    '/v1/archive/restore',
    {
      config,
      schema: {
        tags,
        summary: 'Bring archived interactions with timestamp in [from, to) back into the hot store (idempotent)',
        description: '503: the archive target failed part-way; what was restored stays, and sending the request again finishes it.',
        body: RestoreRequest,
        response: { 200: RestoreResult, ...errors, 503: ErrorBody },
      },
    },
    async (request) => maintenance.restoreForAuth(authOf(request), request.body),
  )
}
