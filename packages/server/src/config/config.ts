import { ARCHIVE_TARGETS } from '@interlog/schema'
import { z } from 'zod'
import { validationErrorFrom } from '../errors/zod-issues.js'

const positiveInt = z.coerce.number().int().positive()
const DURATION_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }

/** `0` (off) or a number with a unit: `500ms`, `30s`, `15m`, `6h`, `1d`; parsed to milliseconds. */
const duration = z
  .string()
  .regex(/^(0|\d+(ms|s|m|h|d))$/, 'a duration such as 30m, 6h or 1d; 0 turns it off')
  .transform((value) => {
    const [, amount, unit] = /^(\d+)(ms|s|m|h|d)?$/.exec(value)!
    return Number(amount) * (unit ? DURATION_MS[unit]! : 0)
  })

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
  /** How often the server archives what each tenant's retention policy says is old; 0 turns it off. */
  archiveEvery: duration.default(3_600_000),
  /** Where tenants' archives go unless their retention settings say otherwise. */
  archiveTarget: z.enum(ARCHIVE_TARGETS).default('filesystem'),
  /** Root of the filesystem target; default <data dir>/archive. */
  archiveDir: z.string().min(1).optional(),
  archiveS3Bucket: z.string().min(1).optional(),
  archiveS3Region: z.string().min(1).default('us-east-1'),
  archiveS3Endpoint: z.url().optional(),
  archiveS3AccessKeyId: z.string().min(1).optional(),
  archiveS3SecretAccessKey: z.string().min(1).optional(),
  archiveS3Prefix: z.string().default(''),
  archiveS3ForcePathStyle: z.stringbool().default(false),
  archiveS3StorageClass: z.string().min(1).default('STANDARD'),
  /** Storage prices behind the estimated monthly saving (USD per GiB-month): database disk, and the archive. */
  archiveHotGbMonthUsd: z.coerce.number().nonnegative().default(0.115),
  archiveColdGbMonthUsd: z.coerce.number().nonnegative().default(0.023),
  /**
   * gzip level of archive objects. 5: on interaction JSON, level 6 made objects only ~2% smaller for
   * 1.6 times the CPU, level 3 ~9% larger for ~60% of it (measured; see docs/benchmarks.md).
   */
  archiveGzipLevel: z.coerce.number().int().min(1).max(9).default(5),
  /** How long a dashboard sign-in lasts. */
  sessionTtlHours: z.coerce.number().positive().max(24 * 365).default(12),
  /** Trust X-Forwarded-* headers from a reverse proxy (TLS termination: the session cookie is then Secure). */
  trustProxy: z.union([z.boolean(), z.stringbool()]).default(false),
  /** Built dashboard to serve at `/`; default: the installed @interlog/dashboard package. */
  dashboardDir: z.string().min(1).optional(),
  /** Payload fields whose JSON is larger than this are stored compressed; 0 turns compression off. */
  compressThresholdBytes: z.coerce.number().int().min(0).default(10 * 1024),
  /** The chat model flows and extraction use; unset: no LLM (templates and the offline extractor). */
  flowsLlmModel: z.string().min(1).optional(),
  /** An OpenAI-compatible endpoint (OpenAI, Azure, vLLM, Ollama, llama.cpp); unset: OpenAI's. */
  flowsLlmBaseUrl: z.url({ protocol: /^https?$/ }).optional(),
  flowsLlmApiKey: z.string().min(1).optional(),
  /** Webhook tools of flow definitions may only call URLs starting with one of these (comma-separated). */
  flowsToolUrlPrefixes: z
    .string()
    .transform((text) => text.split(',').map((prefix) => prefix.trim()).filter(Boolean))
    .pipe(z.array(z.url({ protocol: /^https?$/ })))
    .default([]),
  /** Country of phone numbers written without a country code (ISO 3166-1 alpha-2). */
  flowsPhoneRegion: z.string().regex(/^[A-Z]{2}$/, 'two capital letters, e.g. US').default('US'),
  flowsMaxIterations: positiveInt.max(100).default(10),
  /** Also write each flow session's state as JSON under this directory, for debugging. */
  flowsSnapshotDir: z.string().min(1).optional(),
})
export type Config = z.infer<typeof ConfigSchema>

/** Settings that only make sense together. */
const CheckedConfigSchema = ConfigSchema.superRefine((config, context) => {
  if (config.archiveTarget === 's3' && config.archiveS3Bucket === undefined) {
    context.addIssue({ code: 'custom', path: ['archiveTarget'], message: `s3 needs ${ENV_NAMES.archiveS3Bucket}` })
  }
})

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
  archiveEvery: 'INTERLOG_ARCHIVE_EVERY',
  archiveTarget: 'INTERLOG_ARCHIVE_TARGET',
  archiveDir: 'INTERLOG_ARCHIVE_DIR',
  archiveS3Bucket: 'INTERLOG_ARCHIVE_S3_BUCKET',
  archiveS3Region: 'INTERLOG_ARCHIVE_S3_REGION',
  archiveS3Endpoint: 'INTERLOG_ARCHIVE_S3_ENDPOINT',
  archiveS3AccessKeyId: 'INTERLOG_ARCHIVE_S3_ACCESS_KEY_ID',
  archiveS3SecretAccessKey: 'INTERLOG_ARCHIVE_S3_SECRET_ACCESS_KEY',
  archiveS3Prefix: 'INTERLOG_ARCHIVE_S3_PREFIX',
  archiveS3ForcePathStyle: 'INTERLOG_ARCHIVE_S3_FORCE_PATH_STYLE',
  archiveS3StorageClass: 'INTERLOG_ARCHIVE_S3_STORAGE_CLASS',
  archiveHotGbMonthUsd: 'INTERLOG_ARCHIVE_HOT_GB_MONTH_USD',
  archiveColdGbMonthUsd: 'INTERLOG_ARCHIVE_COLD_GB_MONTH_USD',
  archiveGzipLevel: 'INTERLOG_ARCHIVE_GZIP_LEVEL',
  sessionTtlHours: 'INTERLOG_SESSION_TTL_HOURS',
  trustProxy: 'INTERLOG_TRUST_PROXY',
  dashboardDir: 'INTERLOG_DASHBOARD_DIR',
  compressThresholdBytes: 'INTERLOG_COMPRESS_THRESHOLD_BYTES',
  flowsLlmModel: 'INTERLOG_FLOWS_LLM_MODEL',
  flowsLlmBaseUrl: 'INTERLOG_FLOWS_LLM_BASE_URL',
  flowsLlmApiKey: 'INTERLOG_FLOWS_LLM_API_KEY',
  flowsToolUrlPrefixes: 'INTERLOG_FLOWS_TOOL_URL_PREFIXES',
  flowsPhoneRegion: 'INTERLOG_FLOWS_PHONE_REGION',
  flowsMaxIterations: 'INTERLOG_FLOWS_MAX_ITERATIONS',
  flowsSnapshotDir: 'INTERLOG_FLOWS_SNAPSHOT_DIR',
}

/** Flags win over environment variables, which win over defaults. Empty values count as unset. */
export function loadConfig(env: Record<string, string | undefined>, flags: Partial<Record<keyof Config, unknown>> = {}): Config {
  const raw: Record<string, unknown> = {}
  for (const [key, envName] of Object.entries(ENV_NAMES) as [keyof Config, string][]) {
    const value = flags[key] ?? env[envName]
    if (value !== undefined && value !== '') raw[key] = value
  }
  const parsed = CheckedConfigSchema.safeParse(raw)
  if (!parsed.success) {
    const error = validationErrorFrom(parsed.error, 'configuration')
    const named = error.issues.map((issue) => `${ENV_NAMES[issue.path.split('.')[0] as keyof Config] ?? issue.path}: ${issue.message}`)
    throw new Error(`Invalid configuration: ${named.join('; ')}`)
  }
  return parsed.data
}
