import { z } from 'zod'

/** Short identifiers (user, thread, type, model...) are indexed, so they are bounded. */
export const Identifier = z.string().min(1).max(256)

export const IsoDateTime = z.iso.datetime({ offset: true }).meta({
  description: 'ISO 8601 date-time, e.g. 2026-11-21T10:00:00.000Z',
})

/** Any JSON value. Bodies come from JSON.parse, so no deeper check is needed (and it keeps ingest fast). */
export const JsonValue = z.unknown().meta({ description: 'any JSON value' })
export const JsonObject = z.record(z.string(), z.unknown()).meta({ description: 'a JSON object' })

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: 'Error' })
export type ErrorBody = z.infer<typeof ErrorBody>
