import type { ReactNode } from 'react'
import type { Interaction } from '../api/types'
import { FeedbackPanel } from '../components/FeedbackPanel'
import { Card, Chip, ErrorNote, Facts, Json, Loading, PageHeader, StatusBadge } from '../components/ui'
import { formatDateTime, formatInt, formatMs, formatUsd, pretty } from '../lib/format'
import { Link } from '../lib/router'
import { useApi } from '../lib/use-api'

function messageText(content: unknown): string {
  if (typeof content === 'string') return content
  if (Array.isArray(content)) return content.map((part) => (part && typeof part === 'object' && 'text' in part ? String(part.text) : pretty(part))).join('\n')
  return content === null || content === undefined ? '' : pretty(content)
}

function Variables({ it }: { it: Interaction }) {
  const required = it.required_variables ?? []
  const missing = new Set(it.missing_variables ?? [])
  const names = [...new Set([...Object.keys(it.input_variables ?? {}), ...required])]
  if (names.length === 0) return null
  return (
    <table className="table table-compact" data-testid="variables">
      <thead>
        <tr>
          <th scope="col">Variable</th>
          <th scope="col">Value</th>
          <th scope="col">Required</th>
        </tr>
      </thead>
      <tbody>
        {names.map((name) => (
          <tr key={name} className={missing.has(name) ? 'row-missing' : undefined}>
            <td>
              <code>{name}</code>
            </td>
            <td>{missing.has(name) ? <Chip tone="bad">missing</Chip> : <span className="pre-wrap">{pretty(it.input_variables?.[name])}</span>}</td>
            <td>{required.includes(name) ? 'yes' : <span className="muted">no</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

const section = (show: boolean, node: ReactNode) => (show ? node : null)

/** Everything about one interaction, with feedback actions and a link to its thread. */
export default function InteractionDetail({ id }: { id: string }) {
  const { data: it, error, reload } = useApi<Interaction>(`/v1/interactions/${encodeURIComponent(id)}`)
  if (error) return <ErrorNote error={error} retry={reload} />
  if (!it) return <Loading />
  const failedTools = (it.tool_calls ?? []).filter((call) => call.status === 'failure' || call.error)
  return (
    <>
      <PageHeader
        title={
          <>
            {it.type ?? 'Interaction'} <StatusBadge status={it.status} />
          </>
        }
        subtitle={
          <>
            <code>{it.id}</code> · {formatDateTime(it.timestamp)}
          </>
        }
        actions={
          <>
            {it.thread_id && (
              <Link className="btn" to={`/threads/${encodeURIComponent(it.thread_id)}`} data-testid="thread-link">
                Open thread →
              </Link>
            )}
            <Link className="btn btn-ghost" to="/interactions">
              All interactions
            </Link>
          </>
        }
      />
      <div className="detail">
        <div className="detail-main">
          {section(
            it.status === 'failure' || it.error_message !== undefined,
            <Card title="Error" className="card-error">
              <p>
                <strong>{it.error_type ?? 'Error'}</strong>: {it.error_message ?? '—'}
              </p>
              {it.error_details !== undefined && <Json value={it.error_details} />}
            </Card>,
          )}
          {section(
            it.rendered_prompt !== undefined || it.input_variables !== undefined || it.required_variables !== undefined,
            <Card title="Prompt">
              {it.prompt_id && (
                <p className="muted small">
                  {it.prompt_id} {it.prompt_version && `· ${it.prompt_version}`}
                </p>
              )}
              {it.rendered_prompt && <pre className="prompt">{it.rendered_prompt}</pre>}
              <Variables it={it} />
            </Card>,
          )}
          <Card title="Conversation">
            {(it.messages ?? []).length > 0 ? (
              <ol className="messages">
                {(it.messages ?? []).map((message, i) => (
                  <li key={i} className={`message message-${message.role}`}>
                    <span className="message-role">{message.role}</span>
                    <div className="pre-wrap">{messageText(message.content)}</div>
                  </li>
                ))}
              </ol>
            ) : it.user_message ? (
              <ol className="messages">
                <li className="message message-user">
                  <span className="message-role">user</span>
                  <div className="pre-wrap">{it.user_message}</div>
                </li>
              </ol>
            ) : (
              <p className="muted">No input recorded.</p>
            )}
            <h3>Response</h3>
            {it.assistant_response ? <div className="message message-assistant pre-wrap" data-testid="response">{it.assistant_response}</div> : <p className="muted">No text response.</p>}
            {it.finish_reason && <p className="muted small">finish reason: {it.finish_reason}</p>}
          </Card>
          {section(it.structured_output !== undefined, <Card title="Structured output"><Json value={it.structured_output} /></Card>)}
          {section(
            (it.tool_calls ?? []).length > 0,
            <Card title={`Tool calls (${it.tool_calls?.length ?? 0}${failedTools.length ? `, ${failedTools.length} failed` : ''})`}>
              <ol className="tool-calls">
                {(it.tool_calls ?? []).map((call, i) => (
                  <li key={call.id ?? i} className="tool-call">
                    <div className="tool-head">
                      <code>{call.name}</code> <StatusBadge status={call.status} /> <span className="muted small">{formatMs(call.latency_ms)}</span>
                    </div>
                    <div className="grid-2 tight">
                      <div>
                        <span className="muted small">arguments</span>
                        <Json value={call.arguments ?? null} />
                      </div>
                      <div>
                        <span className="muted small">{call.error ? 'error' : 'result'}</span>
                        <Json value={call.error ?? call.result ?? null} className={call.error ? 'json-error' : ''} />
                      </div>
                    </div>
                  </li>
                ))}
              </ol>
            </Card>,
          )}
          {section(it.metadata !== undefined || it.model_parameters !== undefined, (
            <Card title="Metadata">
              <div className="grid-2 tight">
                {it.metadata !== undefined && <Json value={it.metadata} />}
                {it.model_parameters !== undefined && <Json value={{ model_parameters: it.model_parameters }} />}
              </div>
            </Card>
          ))}
        </div>
        <div className="detail-side">
          <Card title="Details">
            <Facts
              items={[
                ['Model', it.model && `${it.provider ? `${it.provider} / ` : ''}${it.model}`],
                ['User', it.user_id && <Link to={`/interactions?user_id=${encodeURIComponent(it.user_id)}`}>{it.user_id}</Link>],
                ['Thread', it.thread_id && <Link to={`/threads/${encodeURIComponent(it.thread_id)}`}>{it.thread_id}</Link>],
                ['Session', it.session_id],
                ['Category', it.category],
                ['Latency', formatMs(it.latency_ms)],
                ['Tags', (it.tags ?? []).length > 0 ? (it.tags ?? []).map((tag) => <Chip key={tag}>{tag}</Chip>) : undefined],
              ]}
            />
          </Card>
          <Card title="Usage and cost">
            <Facts
              items={[
                ['Prompt tokens', formatInt(it.prompt_tokens)],
                ['Completion tokens', formatInt(it.completion_tokens)],
                ['Cached tokens', formatInt(it.cached_tokens)],
                ['Reasoning tokens', formatInt(it.reasoning_tokens)],
                ['Total tokens', formatInt(it.total_tokens)],
                ['Cost', <span key="cost" data-testid="cost">{formatUsd(it.cost_usd)}{it.cost_estimated ? <span className="muted small"> (estimated)</span> : null}</span>],
              ]}
            />
          </Card>
          {section(
            it.confidence !== undefined || (it.intents ?? []).length > 0 || it.handoff !== undefined,
            <Card title="Agent">
              <Facts
                items={[
                  ['Confidence', it.confidence?.toFixed(2)],
                  ['Intents', (it.intents ?? []).length > 0 ? (it.intents ?? []).map((intent) => <Chip key={intent.name}>{intent.name}{intent.confidence !== undefined ? ` ${intent.confidence.toFixed(2)}` : ''}</Chip>) : undefined],
                  ['Handoff', it.handoff === undefined ? undefined : it.handoff ? <Chip tone="warn">handed off{it.handoff_reason ? `: ${it.handoff_reason}` : ''}</Chip> : 'no'],
                  ['Message type', it.message_type],
                ]}
              />
            </Card>,
          )}
          <FeedbackPanel interactionId={it.id} onSaved={reload} />
        </div>
      </div>
    </>
  )
}
