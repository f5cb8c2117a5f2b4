import { CodeBlock } from './ui'

/** What a new tenant sees: how to send a first interaction, with this server's own URL. */
export function EmptyState() {
  const origin = window.location.origin
  const curl = `curl -s ${origin}/v1/interactions \\
  -H "Authorization: Bearer $INTERLOG_KEY" -H 'Content-Type: application/json' \\
  -d '{"type":"chat","model":"gpt-4o-mini","user_id":"u1","thread_id":"t1",
       "user_message":"What is my balance?","assistant_response":"It is $42.",
       "prompt_tokens":12,"completion_tokens":7,"latency_ms":830}'`
  const sdk = `import { Interlog, wrapOpenAI } from '@interlog/sdk'
import OpenAI from 'openai'

const interlog = new Interlog({ baseUrl: '${origin}', apiKey: process.env.INTERLOG_KEY })
const openai = wrapOpenAI(new OpenAI(), interlog, { type: 'chat', userId, threadId })
// every chat.completions.create call is now logged, with usage, latency and tool calls`
  return (
    <section className="card empty-state" aria-labelledby="empty-title" data-testid="empty-state">
      <h2 id="empty-title">Send your first interaction</h2>
      <p className="muted">
        Nothing has been logged for this tenant yet. Send one with a key that has the <code>ingest</code> scope, and it shows up here within seconds.
        To look around first, <code>npx interlog demo</code> loads sample data into a <code>demo</code> tenant.
      </p>
      <div className="stack">
        <CodeBlock label="curl" code={curl} />
        <CodeBlock label="Node (SDK, OpenAI auto-instrumented)" code={sdk} />
      </div>
    </section>
  )
}
