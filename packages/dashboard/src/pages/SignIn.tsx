import { useState, type FormEvent } from 'react'
import { api, ApiError } from '../api/client'
import type { Session } from '../api/types'

/** Sign-in with an API key: the server keeps a hashed session and sets an HttpOnly cookie; the key is not stored here. */
export function SignIn({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [key, setKey] = useState('')
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      onSignedIn(await api<Session>('/v1/session', { method: 'POST', body: { key: key.trim() } }))
    } catch (caught) {
      setError(
        caught instanceof ApiError && caught.status === 403
          ? 'This key lacks the read scope, which the dashboard needs.'
          : caught instanceof ApiError && caught.status === 401
            ? 'Unknown or revoked key.'
            : caught instanceof Error
              ? caught.message
              : String(caught),
      )
      setBusy(false)
    }
  }
  return (
    <main className="signin">
      <form className="card signin-card" onSubmit={submit} aria-labelledby="signin-title">
        <div className="brand brand-large">
          <img src="/favicon.svg" alt="" width={32} height={32} />
          <span>interlog</span>
        </div>
        <h1 id="signin-title">Sign in</h1>
        <p className="muted">Use an API key with the <code>read</code> scope. The key is exchanged for a session cookie and is not kept in the browser.</p>
        <label className="field">
          <span>API key</span>
          <input
            className="input"
            type="password"
            name="key"
            autoComplete="off"
            spellCheck={false}
            placeholder="il_…"
            value={key}
            onChange={(event) => setKey(event.target.value)}
            required
            autoFocus
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'signin-error' : undefined}
          />
        </label>
        {error && (
          <p id="signin-error" className="form-error" role="alert">
            {error}
          </p>
        )}
        <button className="btn btn-primary btn-block" type="submit" disabled={busy || key.trim() === ''}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="muted small">
          No key yet? <code>npx interlog demo</code> loads sample data and prints one; <code>npx interlog keys create --tenant NAME --scopes read,analytics:view,feedback,export</code> makes one for your own data.
        </p>
      </form>
    </main>
  )
}
