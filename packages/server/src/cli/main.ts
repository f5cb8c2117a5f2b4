#!/usr/bin/env node
import { Command } from 'commander'
import { AppError } from '../errors/errors.js'
import { VERSION } from '../runtime/version.js'
import { registerAdminCommands } from './admin.commands.js'
import { registerArchiveCommands } from './archive.commands.js'
import { registerStatsCommand } from './stats.command.js'
import { createCliContext } from './cli-context.js'
import { registerExportCommand } from './export.command.js'
import { registerPrivacyCommands } from './privacy.commands.js'
import { registerDemoCommands } from './demo.command.js'
import { registerServeCommand } from './serve.command.js'

const program = new Command('interlog')
  .description('interlog: track AI interactions and turn them into training data')
  .version(VERSION)
  .option('--data <dir>', 'data directory for the embedded SQLite store (INTERLOG_DATA_DIR, default ./.interlog)')
  .option('--database-url <url>', 'postgres:// URL to use PostgreSQL instead (INTERLOG_DATABASE_URL)')
  .option('--json', 'print machine-readable JSON')

const cli = createCliContext(process.env, (text) => process.stdout.write(`${text}\n`))
registerServeCommand(program, cli)
registerAdminCommands(program, cli)
registerExportCommand(program, cli)
registerArchiveCommands(program, cli)
registerStatsCommand(program, cli)
registerPrivacyCommands(program, cli)
registerDemoCommands(program, cli)

program.parseAsync(process.argv).catch((error: unknown) => {
  const message = error instanceof AppError || error instanceof Error ? error.message : String(error)
  process.stderr.write(`interlog: ${message}\n`)
  process.exit(1)
})
