import { OfflineExtractor, LlmExtractor, type ConversationMessage, type Extractor, type LlmClient } from '@interlog/flows'
import { ExtractBody, ThreadExtractBody, type ExtractResult, type Interaction } from '@interlog/schema'
import type { AuthContext } from '../auth/auth-context.js'
import { NotFoundError, ValidationError } from '../errors/errors.js'
import { parseOrThrow } from '../errors/zod-issues.js'
import type { InteractionsService } from '../interactions/interactions.service.js'
import { withAppErrors } from './flow-errors.js'

/** A flow's own bookkeeping steps repeat the customer's message; only its replies belong in a transcript. */
const FLOW_BOOKKEEPING = new Set(['flow.extract', 'flow.navigate', 'flow.tool'])
const THREAD_LIMIT = 1000

/** The conversation of a stored thread: each interaction's user message and response, oldest first. */
export function threadMessages(interactions: readonly Interaction[]): ConversationMessage[] {
  const messages: ConversationMessage[] = []
  for (const interaction of interactions) {
    if (interaction.type && FLOW_BOOKKEEPING.has(interaction.type)) continue
    const user = interaction.user_message ?? lastText(interaction, 'user')
    const assistant = interaction.assistant_response ?? lastText(interaction, 'assistant')
    if (user !== undefined && messages.at(-1)?.content !== user) messages.push({ role: 'user', content: user })
    if (assistant !== undefined) messages.push({ role: 'assistant', content: assistant })
  }
  return messages
}

function lastText(interaction: Interaction, role: string): string | undefined {
  const message = [...(interaction.messages ?? [])].reverse().find((candidate) => candidate.role === role && typeof candidate.content === 'string')
  return message?.content as string | undefined
}

/** Extraction on any conversation (POST /v1/extract) or a stored thread, by the offline or the LLM engine. */
export class ExtractionService {
  constructor(
    private readonly interactions: InteractionsService,
    private readonly offline: OfflineExtractor,
    private readonly llm: LlmClient | undefined,
  ) {}

  async extract(body: unknown): Promise<ExtractResult> {
    const input = parseOrThrow(ExtractBody, body, 'extraction request')
    return this.run(input.messages, input.fields, input.engine)
  }

  async extractThread(auth: AuthContext, threadId: string, body: unknown): Promise<ExtractResult> {
    const input = parseOrThrow(ThreadExtractBody, body, 'extraction request')
    const messages = threadMessages(await this.interactions.thread(auth, threadId, THREAD_LIMIT))
    if (messages.length === 0) throw new NotFoundError(`Thread '${threadId}'`)
    return this.run(messages, input.fields, input.engine)
  }

  private async run(messages: ConversationMessage[], fields: Record<string, string>, engine: 'offline' | 'llm' | undefined): Promise<ExtractResult> {
    const extractor = this.extractor(engine)
    const outcome = await withAppErrors(() => extractor.extract({ messages, fields }))
    return { fields: Object.fromEntries(Object.keys(fields).map((name) => [name, outcome.values[name] ?? null])), engine: outcome.engine }
  }

  private extractor(engine: 'offline' | 'llm' | undefined): Extractor {
    if (engine === 'offline' || (engine === undefined && !this.llm)) return this.offline
    if (!this.llm) throw new ValidationError('Invalid extraction request: engine: this server has no LLM configured (INTERLOG_FLOWS_LLM_MODEL)', [{ path: 'engine', message: 'no LLM configured' }])
    return new LlmExtractor(this.llm)
  }
}
