import type { Command } from 'commander'
import { localRootContext } from '../auth/auth-context.js'
import { demoItems } from '../demo/demo-data.js'
import type { CliContext } from './cli-context.js'
import { withLocalSession } from './local-services.js'

export const DEMO_TENANT = 'demo'
const DEMO_SCOPES = ['read', 'analytics:view', 'feedback', 'export', 'ingest'] as const
const BATCH = 500

/**
 * `interlog demo` (or `interlog demo data`): realistic sample data in a `demo` tenant and a key to sign
 * in to the dashboard with. The default of the `demo` commands.
 */
export function registerDemoDataCommand(demo: Command, cli: CliContext): void {
  demo
    .command('data', { isDefault: true })
    .description('load realistic sample data into a "demo" tenant and print a key to sign in to the dashboard with (the default)')
    .option('--count <n>', 'how many interactions to generate (default 400)', '400')
    .action(async (options: { count: string }, command: Command) => {
      const count = Number(options.count)
      if (!Number.isInteger(count) || count < 1 || count > 1_000_000) throw new Error('--count must be a whole number from 1 to 1,000,000')
      const config = cli.config(command)
      await withLocalSession(config, async ({ services }) => {
        const tenant = await services.tenants.ensure(DEMO_TENANT)
        const actor = localRootContext(tenant.id)
        const items = demoItems(count, Date.now(), { seed: Date.now() % 100_000 })
        let created = 0
        for (let start = 0; start < items.length; start += BATCH) {
          const outcomes = await services.interactions.ingestMany(actor, items.slice(start, start + BATCH).map((item) => item.interaction))
          const failed = outcomes.find((outcome) => 'error' in outcome)
          if (failed && 'error' in failed) throw failed.error
          created += outcomes.length
        }
        let rated = 0
        for (const { interaction, feedback } of items) {
          if (!feedback) continue
          await services.feedback.add(actor, interaction.id, feedback)
          rated += 1
        }
        const key = await services.keys.issue({ tenantId: tenant.id, scopes: [...DEMO_SCOPES], name: 'demo (dashboard sign-in)' })
        const url = `http://${config.host}:${config.port}/`
        cli.print(
          command,
          { tenant: tenant.name, tenant_id: tenant.id, interactions: created, feedback: rated, key: key.key, key_id: key.id, scopes: key.scopes, url },
          `loaded ${created} demo interactions (${rated} with feedback) into tenant '${tenant.name}'.\n\n` +
            `Start the server (npm start, or npx interlog serve) and sign in at ${url} with this key (shown once):\n\n  ${key.key}\n`,
        )
      })
    })
}
