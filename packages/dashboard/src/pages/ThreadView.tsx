import type { Thread } from '../api/types'
import { Card, Chip, ErrorNote, Loading, PageHeader, StatusBadge } from '../components/ui'
import { formatDateTime, formatInt, formatMs, formatUsd, pretty } from '../lib/format'
import { Link } from '../lib/router'
import { useApi } from '../lib/use-api'

/** A conversation as a chat transcript; each assistant turn links to its interaction. */
export default function ThreadView({ id }: { id: string }) {
  const { data, error, reload } = useApi<Thread>(`/v1/threads/${encodeURIComponent(id)}`)
  if (error) return <ErrorNote error={error} retry={reload} />
  if (!data) return <Loading />
  const turns = data.interactions
  const cost = turns.reduce((sum, it) => sum + (it.cost_usd ?? 0), 0)
  const tokens = turns.reduce((sum, it) => sum + (it.total_tokens ?? 0), 0)
  const users = [...new Set(turns.map((it) => it.user_id).filter(Boolean))]
  return (
    <>
      <PageHeader
        title="Conversation"
        subtitle={
          <>
            <code>{id}</code> · {turns.length} {turns.length === 1 ? 'turn' : 'turns'} · {users.join(', ') || 'unknown user'} · {formatInt(tokens)} tokens · {formatUsd(cost)}
          </>
        }
      />
      <Card>
        <ol className="transcript" data-testid="transcript">
          {turns.map((it) => (
            <li key={it.id} className="turn">
              {it.user_message && (
                <div className="bubble bubble-user">
                  <div className="bubble-meta">
                    {it.user_id ?? 'user'} · {formatDateTime(it.timestamp)}
                  </div>
                  <div className="pre-wrap">{it.user_message}</div>
                </div>
              )}
              {(it.tool_calls ?? []).length > 0 && (
                <div className="turn-tools">
                  {(it.tool_calls ?? []).map((call, i) => (
                    <Chip key={call.id ?? i} tone={call.status === 'failure' ? 'bad' : 'neutral'}>
                      ⚙ {call.name} {call.status === 'failure' ? 'failed' : ''}
                    </Chip>
                  ))}
                </div>
              )}
              <div className={`bubble bubble-assistant ${it.status === 'failure' ? 'bubble-error' : ''}`}>
                <div className="bubble-meta">
                  assistant · {it.model ?? 'model'} · {formatMs(it.latency_ms)} <StatusBadge status={it.status} />
                  {it.handoff && <Chip tone="warn">handed off</Chip>}
                </div>
                <div className="pre-wrap">
                  {it.assistant_response ?? (it.structured_output !== undefined ? pretty(it.structured_output) : it.error_message ? `Error: ${it.error_message}` : '(no response)')}
                </div>
                <Link className="small" to={`/interactions/${encodeURIComponent(it.id)}`} data-testid="turn-link">
                  Open interaction →
                </Link>
              </div>
            </li>
          ))}
        </ol>
      </Card>
    </>
  )
}
