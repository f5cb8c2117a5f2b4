import { useState, type FormEvent } from 'react'
import { api, ApiError } from '../api/client'
import type { Feedback, FeedbackInput } from '../api/types'
import { FEEDBACK_KINDS } from '../lib/filters'
import { formatDateTime, pretty } from '../lib/format'
import { useSession } from '../lib/session'
import { useApi } from '../lib/use-api'
import { Card, FeedbackBadge } from './ui'

/** Thumbs, a comment and a correction on one interaction, and its feedback history. */
export function FeedbackPanel({ interactionId, onSaved }: { interactionId: string; onSaved: () => void }) {
  const { can } = useSession()
  const allowed = can('feedback')
  const history = useApi<{ feedback: Feedback[] }>(`/v1/interactions/${encodeURIComponent(interactionId)}/feedback`)
  const [kind, setKind] = useState<FeedbackInput['kind']>('modified')
  const [comment, setComment] = useState('')
  const [correction, setCorrection] = useState('')
  const [quality, setQuality] = useState('')
  const [status, setStatus] = useState<{ tone: 'ok' | 'bad'; text: string }>()
  const [busy, setBusy] = useState(false)

  const send = async (body: FeedbackInput) => {
    setBusy(true)
    setStatus(undefined)
    try {
      await api<Feedback>(`/v1/interactions/${encodeURIComponent(interactionId)}/feedback`, { method: 'POST', body })
      setStatus({ tone: 'ok', text: `Saved: ${body.kind.replace('_', ' ')}` })
      setComment('')
      setCorrection('')
      setQuality('')
      history.reload()
      onSaved()
    } catch (error) {
      setStatus({ tone: 'bad', text: error instanceof ApiError ? error.message : String(error) })
    } finally {
      setBusy(false)
    }
  }
  const submit = (event: FormEvent) => {
    event.preventDefault()
    void send({
      kind,
      ...(comment.trim() ? { comment: comment.trim() } : {}),
      ...(correction.trim() ? { correction: correction.trim() } : {}),
      ...(quality !== '' ? { quality_score: Number(quality) } : {}),
    })
  }
  const disabled = !allowed || busy
  const why = allowed ? undefined : 'Your key lacks the feedback scope'

  return (
    <Card title="Feedback" id="feedback">
      <div className="thumbs" role="group" aria-label="Rate this interaction">
        <button type="button" className="btn btn-thumb" disabled={disabled} title={why} onClick={() => void send({ kind: 'thumbs_up' })}>
          ▲ Good
        </button>
        <button type="button" className="btn btn-thumb btn-thumb-down" disabled={disabled} title={why} onClick={() => void send({ kind: 'thumbs_down' })}>
          ▼ Bad
        </button>
      </div>
      <form className="feedback-form" onSubmit={submit}>
        <div className="form-row">
          <label className="field">
            <span>Kind</span>
            <select className="input" value={kind} disabled={disabled} onChange={(event) => setKind(event.target.value as FeedbackInput['kind'])}>
              {FEEDBACK_KINDS.map((k) => (
                <option key={k} value={k}>
                  {k.replace('_', ' ')}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>Quality (0–100)</span>
            <input className="input" type="number" min={0} max={100} value={quality} disabled={disabled} onChange={(event) => setQuality(event.target.value)} />
          </label>
        </div>
        <label className="field">
          <span>Comment</span>
          <textarea className="input" rows={2} value={comment} disabled={disabled} onChange={(event) => setComment(event.target.value)} />
        </label>
        <label className="field">
          <span>Correction (the output it should have given)</span>
          <textarea className="input" rows={3} value={correction} disabled={disabled} onChange={(event) => setCorrection(event.target.value)} />
        </label>
        <button type="submit" className="btn btn-primary" disabled={disabled} title={why}>
          Save feedback
        </button>
        {!allowed && <p className="muted small">{why}: feedback is read-only here.</p>}
        {status && (
          <p className={status.tone === 'ok' ? 'form-ok' : 'form-error'} role="status" data-testid="feedback-status">
            {status.text}
          </p>
        )}
      </form>
      <h3>History</h3>
      {history.data && history.data.feedback.length === 0 && <p className="muted">No feedback yet.</p>}
      <ol className="history" data-testid="feedback-history">
        {[...(history.data?.feedback ?? [])].reverse().map((f) => (
          <li key={f.id}>
            <FeedbackBadge kind={f.kind} score={f.quality_score ?? undefined} /> <span className="muted small">{formatDateTime(f.created_at)}</span>
            {f.comment && <p>{f.comment}</p>}
            {f.correction !== null && (
              <p className="correction">
                <span className="muted small">Correction{f.edit_distance !== null ? ` (edit distance ${f.edit_distance})` : ''}:</span> {pretty(f.correction)}
              </p>
            )}
          </li>
        ))}
      </ol>
    </Card>
  )
}
