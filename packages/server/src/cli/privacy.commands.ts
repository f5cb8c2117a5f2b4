import { AUDIT_ACTIONS, AuditLogQuery } from '@interlog/schema'
import type { Command } from 'commander'
import { parseOrThrow } from '../errors/zod-issues.js'
import type { CliContext } from './cli-context.js'
import { withLocalSession, type LocalSession } from './local-services.js'

/** The CLI acts as root; a command about one tenant acts within it. */
async function actorIn(session: LocalSession, tenant: string) {
  const resolved = await session.services.tenants.resolve(session.actor, tenant)
  return { ...session.actor, tenantId: resolved.id }
}

/** `interlog users erase` and `interlog audit-log`: straight on the database, with or without a running server. */
export function registerPrivacyCommands(program: Command, cli: CliContext): void {
  const users = program.command('users').description("end users' data")
  users
    .command('erase <user_id>')
    .description("erase an end user's interactions and everything attached to them (recorded in the audit log)")
    .requiredOption('--tenant <name-or-id>', 'tenant the user belongs to')
    .action(async (userId: string, options: { tenant: string }, command: Command) => {
      await withLocalSession(cli.config(command), async (session) => {
        const erased = await session.services.erasure.eraseUser(await actorIn(session, options.tenant), userId)
        const counts = Object.entries(erased.deleted).map(([kind, count]) => `${kind}=${count}`)
        cli.print(command, erased, `erased user ${userId}: ${counts.join(' ')}`)
      })
    })

  program
    .command('audit-log')
    .description("a tenant's audit log, newest first")
    .requiredOption('--tenant <name-or-id>', 'whose log')
    .option('--action <action>', `only this action: ${AUDIT_ACTIONS.join(', ')}`)
    .option('--from <iso>', 'from this time (inclusive)')
    .option('--to <iso>', 'until this time (exclusive)')
    .option('--limit <n>', 'most entries (max 200)', '50')
    .action(async (options: { tenant: string; action?: string; from?: string; to?: string; limit: string }, command: Command) => {
      await withLocalSession(cli.config(command), async (session) => {
        const { tenant, ...filters } = options
        const query = parseOrThrow(AuditLogQuery, filters, 'audit log query')
        const log = await session.services.audit.list(await actorIn(session, tenant), query)
        const lines = log.entries.map(
          (e) => `${e.created_at}  ${e.action}  by=${e.actor_key_id}${e.target_id ? `  ${e.target_type}=${e.target_id}` : ''}  ${JSON.stringify(e.details)}`,
        )
        cli.print(command, log, lines.join('\n') || 'no entries')
      })
    })
}
