import { SCOPES, type ApiKey } from '@interlog/schema'
import type { Command } from 'commander'
import type { CliContext } from './cli-context.js'
import { withLocalSession } from './local-services.js'

const describeKey = (key: ApiKey) =>
  `${key.id}  ${key.prefix}…  tenant=${key.tenant_id}  scopes=${key.scopes.join(',')}` +
  `${key.user_id ? `  user=${key.user_id}` : ''}${key.name ? `  name=${JSON.stringify(key.name)}` : ''}` +
  `${key.revoked_at ? `  revoked=${key.revoked_at}` : ''}`

/** `interlog tenants ...` and `interlog keys ...`: straight on the database, with or without a running server. */
export function registerAdminCommands(program: Command, cli: CliContext): void {
  const tenants = program.command('tenants').description('manage tenants')
  tenants
    .command('create <name>')
    .description('create a tenant')
    .action(async (name: string, _options, command: Command) => {
      await withLocalSession(cli.config(command), async ({ services, actor }) => {
        const tenant = await services.tenants.create(actor, { name })
        cli.print(command, tenant, `created tenant ${tenant.name} (${tenant.id})`)
      })
    })
  tenants
    .command('list')
    .description('list tenants')
    .action(async (_options, command: Command) => {
      await withLocalSession(cli.config(command), async ({ services, actor }) => {
        const list = await services.tenants.list(actor)
        cli.print(command, { tenants: list }, list.map((t) => `${t.id}  ${t.name}  created=${t.created_at}`).join('\n') || 'no tenants')
      })
    })

  const keys = program.command('keys').description('manage API keys')
  keys
    .command('create')
    .description('create an API key (the key is shown once)')
    .requiredOption('--tenant <name-or-id>', 'tenant the key belongs to')
    .requiredOption('--scopes <list>', `comma-separated scopes: ${SCOPES.join(', ')}`)
    .option('--user <id>', 'bind the key to one end user')
    .option('--name <name>', 'a label for the key')
    .action(async (options: { tenant: string; scopes: string; user?: string; name?: string }, command: Command) => {
      await withLocalSession(cli.config(command), async ({ services, actor }) => {
        const scopes = options.scopes.split(',').map((scope) => scope.trim()).filter(Boolean)
        const created = await services.keys.create(actor, { tenant_id: options.tenant, scopes, user_id: options.user, name: options.name })
        cli.print(command, created, `${describeKey(created)}\n\nkey (shown once): ${created.key}`)
      })
    })
  keys
    .command('list')
    .description('list API keys (never the secrets)')
    .option('--tenant <name-or-id>', 'only this tenant')
    .action(async (options: { tenant?: string }, command: Command) => {
      await withLocalSession(cli.config(command), async ({ services, actor }) => {
        const list = await services.keys.list(actor, options.tenant)
        cli.print(command, { keys: list }, list.map(describeKey).join('\n') || 'no keys')
      })
    })
  keys
    .command('revoke <id>')
    .description('revoke an API key; it stops working at once')
    .action(async (id: string, _options, command: Command) => {
      await withLocalSession(cli.config(command), async ({ services, actor }) => {
        const revoked = await services.keys.revoke(actor, id)
        cli.print(command, revoked, `revoked ${revoked.id}`)
      })
    })
}
