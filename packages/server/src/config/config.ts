import { z } from 'zod'
import { validationErrorFrom } from '../errors/zod-issues.js'

const positiveInt = z.coerce.number().int().positive()

/** Every setting, parsed once at the edge; nothing below reads process.env. */
export const ConfigSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(4100),
  host: z.string().min(1).default('127.0.0.1'),
  dataDir: z.string().min(1).default('./.interlog'),
  databaseUrl: z.string().min(1).optional(),
  /** PostgreSQL schema to use (created if missing). */
  databaseSchema: z.string().regex(/^[a-z_][a-z0-9_]*$/, 'lower-case letters, digits and _').optional(),
  adminKey: z.string().min(24, 'must be at least 24 characters').optional(),
  bodyLimitBytes: positiveInt.default(10 * 1024 * 1024),
  /** Requests per minute per API key; 0 turns rate limiting off. */
  rateLimitPerMinute: z.coerce.number().int().min(0).default(6000),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Most rows one group-commit transaction writes. */
  writerBatchRows: positiveInt.default(2000),
  pgPoolSize: positiveInt.default(10),
  /** Payload fields whose JSON is larger than this are stored compressed; 0 turns compression off. */
  compressThresholdBytes: z.coerce.number().int().min(0).default(10 * 1024),
})
export type Config = z.infer<typeof ConfigSchema>

/** Environment variable of each setting. */
export const ENV_NAMES: Record<keyof Config, string> = {
  port: 'INTERLOG_PORT',
  host: 'INTERLOG_HOST',
  dataDir: 'INTERLOG_DATA_DIR',
  databaseUrl: 'INTERLOG_DATABASE_URL',
  databaseSchema: 'INTERLOG_DATABASE_SCHEMA',
  adminKey: 'INTERLOG_ADMIN_KEY',
  bodyLimitBytes: 'INTERLOG_BODY_LIMIT_BYTES',
  rateLimitPerMinute: 'INTERLOG_RATE_LIMIT_PER_MINUTE',
  logLevel: 'INTERLOG_LOG_LEVEL',
  writerBatchRows: 'INTERLOG_WRITER_BATCH_ROWS',
  pgPoolSize: 'INTERLOG_PG_POOL_SIZE',
  compressThresholdBytes: 'INTERLOG_COMPRESS_THRESHOLD_BYTES',
}

/** Flags win over environment variables, which win over defaults. Empty values count as unset. */
export function loadConfig(env: Record<string, string | undefined>, flags: Partial<Record<keyof Config, unknown>> = {}): Config {
  const raw: Record<string, unknown> = {}
  for (const [key, envName] of Object.entries(ENV_NAMES) as [keyof Config, string][]) {
    const value = flags[key] ?? env[envName]
    if (value !== undefined && value !== '') raw[key] = value
  }
  const parsed = ConfigSchema.safeParse(raw)
  if (!parsed.success) {
    const error = validationErrorFrom(parsed.error, 'configuration')
    const named = error.issues.map((issue) => `${ENV_NAMES[issue.path as keyof Config] ?? issue.path}: ${issue.message}`)
    throw new Error(`Invalid configuration: ${named.join('; ')}`)
  }
  return parsed.data
}
