import { createInterface } from 'node:readline'
import { customerServiceFlow, demoTools, FlowEngine, LlmClient, offlineCustomerServiceFlow, type Flow } from '@interlog/flows'
import type { FlowTurn } from '@interlog/schema'
import type { Command } from 'commander'
import { appErrorFrom } from '../flows/flow-errors.js'
import { flowSettingsFrom } from '../flows/flow-settings.js'
import { tenantSessionStore } from '../flows/session-store.adapter.js'
import type { CliContext } from './cli-context.js'
import { registerDemoDataCommand } from './demo-data.command.js'
import { withLocalSession } from './local-services.js'

const describeTurn = (turn: FlowTurn) => {
  const known = Object.entries(turn.fields)
    .filter(([, value]) => value !== null)
    .map(([name, value]) => `${name}=${value}`)
  const moves = turn.transitions.map((t) => `${t.from}→${t.to} (${t.advance}: ${t.reason})`)
  return [`  · fields: ${known.join(', ') || '(none yet)'}`, `  · path: ${turn.path.join(' → ')}${turn.stopped === 'waiting' ? ' · waiting for you' : ` · ${turn.stopped}`}`, ...moves.map((move) => `  · ${move}`)].join('\n')
}

/**
 * `interlog demo flow`: a terminal chat with the example customer-service flow. Offline by default
 * (templates and the offline extractor); with INTERLOG_FLOWS_LLM_MODEL set, the LLM writes the replies.
 * The session is stored like a served one, and every step is recorded as an interaction of the
 * default tenant, in the session's thread.
 */
export function registerDemoCommands(program: Command, cli: CliContext): void {
  const demo = program.command('demo').description('try interlog features locally: sample data for the dashboard (default), or a flow chat')
  registerDemoDataCommand(demo, cli)
  demo
    .command('flow')
    .description('chat in the terminal with the example customer-service flow (offline unless an LLM is configured)')
    .option('--session <id>', 'session id (give an earlier one to go on with it)')
    .action(async (options: { session?: string }, command: Command) => {
      const config = cli.config(command)
      const settings = flowSettingsFrom(config)
      await withLocalSession(config, async ({ services, actor }) => {
        const flow: Flow = settings.llm ? customerServiceFlow : offlineCustomerServiceFlow()
        const engine = new FlowEngine({
          flow,
          llm: settings.llm && new LlmClient(settings.llm),
          tools: { functions: demoTools() },
          sessions: tenantSessionStore(services.store.flows, actor.tenantId),
          tracer: services.flowTracers.for(actor.tenantId),
          maxIterations: settings.maxIterations,
        })
        const sessionId = options.session ?? `demo-${new Date().toISOString().replace(/[:.]/g, '-')}`
        const say = (text: string) => process.stdout.write(`${text}\n`)
        say(`interlog demo: the ${flow.name} flow, ${settings.llm ? `LLM ${settings.llm.model}` : 'offline (templates and the offline extractor)'}.`)
        say(`Session ${sessionId}. Type a message (try "My roof is leaking, I'm John Smith, my number is 555-123-4567"); /state shows the session, /quit leaves.\n`)
        const lines = createInterface({ input: process.stdin, terminal: false })
        process.stdout.write('you> ')
        for await (const line of lines) {
          const message = line.trim()
          if (message === '/quit') break
          if (message === '/state') say(JSON.stringify(await engine.session(sessionId), null, 2))
          else if (message !== '') {
            const turn = await engine.handle(sessionId, message).catch((error: unknown) => {
              throw appErrorFrom(error)
            })
            for (const reply of turn.replies) say(`agent> ${reply}`)
            say(describeTurn(turn))
            if (turn.status === 'completed') break
          }
          process.stdout.write('you> ')
        }
        lines.close()
        await services.flowTracers.flush(actor.tenantId)
        say(`\nThe session is stored; its steps are interactions of thread ${sessionId} (tenant default).`)
      })
    })
}
