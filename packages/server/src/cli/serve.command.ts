import type { Command } from 'commander'
import { createLogger } from '../runtime/logger.js'
import { startServer } from '../server.js'
import type { CliContext } from './cli-context.js'

interface ServeFlags {
  port?: string
  host?: string
  logLevel?: string
  rateLimitPerMinute?: string
  bodyLimitBytes?: string
}

/** `interlog serve`: runs the HTTP API until SIGTERM/SIGINT, then drains in-flight writes and exits 0. */
export function registerServeCommand(program: Command, cli: CliContext): void {
  program
    .command('serve')
    .description('run the HTTP API (default http://127.0.0.1:4100, SQLite in ./.interlog)')
    .option('--port <port>', 'port to listen on (INTERLOG_PORT, default 4100; 0 picks a free one)')
    .option('--host <host>', 'address to bind (INTERLOG_HOST, default 127.0.0.1)')
    .option('--log-level <level>', 'fatal|error|warn|info|debug|trace|silent (INTERLOG_LOG_LEVEL)')
    .option('--rate-limit-per-minute <n>', 'requests per minute per key, 0 = off (INTERLOG_RATE_LIMIT_PER_MINUTE)')
    .option('--body-limit-bytes <n>', 'largest request body (INTERLOG_BODY_LIMIT_BYTES, default 10 MB)')
    .action(async (flags: ServeFlags, command: Command) => {
      const config = cli.config(command, {
        port: flags.port,
        host: flags.host,
        logLevel: flags.logLevel,
        rateLimitPerMinute: flags.rateLimitPerMinute,
        bodyLimitBytes: flags.bodyLimitBytes,
      })
      const logger = createLogger(config.logLevel)
      const server = await startServer(config, { logger })
      let stopping = false
      const stop = (signal: NodeJS.Signals) => {
        if (stopping) {
          logger.warn({ signal }, 'second signal: exiting without draining')
          process.exit(1)
        }
        stopping = true
        logger.info({ signal }, 'draining in-flight writes, then exiting')
        server.close().then(
          () => process.exit(0),
          (error: unknown) => {
            logger.error({ err: error }, 'shutdown failed')
            process.exit(1)
          },
        )
      }
      process.on('SIGTERM', stop)
      process.on('SIGINT', stop)
    })
}
