import { useState, type FormEvent, type ReactNode } from 'react'
import { FEEDBACK_KINDS, SORTS, type Filters } from '../lib/filters'
import { fromLocalInput, toLocalInput } from '../lib/format'

const PRESETS = [
  { label: 'Last hour', ms: 3_600_000 },
  { label: 'Last 24 hours', ms: 86_400_000 },
  { label: 'Last 7 days', ms: 7 * 86_400_000 },
  { label: 'Last 30 days', ms: 30 * 86_400_000 },
]

function Field({ label, children, wide }: { label: string; children: ReactNode; wide?: boolean }) {
  return (
    <label className={`field ${wide ? 'field-wide' : ''}`}>
      <span>{label}</span>
      {children}
    </label>
  )
}

export interface FilterBarProps {
  filters: Filters
  sort: string
  onApply: (filters: Filters, sort: string) => void
  types: string[]
  models: string[]
  /** The person reached for a field with suggestions (type, model): time to load them. */
  onSuggest: () => void
}

/**
 * Every list filter. Typed values apply on Enter or with the Apply button; choices apply at once. The
 * page keeps them in the URL, so a filtered view can be shared.
 */
export function FilterBar({ filters, sort, onApply, types, models, onSuggest }: FilterBarProps) {
  const [draft, setDraft] = useState<Filters>(filters)
  const set = (key: keyof Filters, value: string | undefined) => setDraft((current) => ({ ...current, [key]: value || undefined }))
  const choose = (key: keyof Filters, value: string) => {
    const next = { ...draft, [key]: value || undefined }
    setDraft(next)
    onApply(next, key === 'q' && !value && sort === 'relevance' ? 'newest' : sort)
  }
  const submit = (event: FormEvent) => {
    event.preventDefault()
    onApply(draft, sort === 'relevance' && !draft.q ? 'newest' : sort)
  }
  const preset = (ms: number) => {
    const next = { ...draft, from: new Date(Date.now() - ms).toISOString(), to: undefined }
    setDraft(next)
    onApply(next, sort)
  }
  const text = (key: keyof Filters, props: { placeholder?: string; type?: string; min?: number; max?: number; step?: number; list?: string } = {}) => (
    <input
      className="input"
      name={key}
      value={draft[key] ?? ''}
      onChange={(event) => set(key, event.target.value)}
      onFocus={props.list ? onSuggest : undefined}
      {...props}
    />
  )
  const select = (key: keyof Filters, options: readonly (string | [value: string, label: string])[], anyLabel = 'Any') => (
    <select className="input" name={key} value={draft[key] ?? ''} onChange={(event) => choose(key, event.target.value)}>
      <option value="">{anyLabel}</option>
      {options.map((option) => {
        const [value, label] = typeof option === 'string' ? [option, option] : option
        return (
          <option key={value} value={value}>
            {label}
          </option>
        )
      })}
    </select>
  )

  return (
    <form className="card filter-bar" onSubmit={submit} role="search" aria-label="Filter interactions">
      <div className="filter-row">
        <Field label="Search" wide>
          <input
            className="input"
            type="search"
            name="q"
            placeholder='words, "a phrase", prefix*'
            value={draft.q ?? ''}
            onChange={(event) => set('q', event.target.value)}
          />
        </Field>
        <Field label="From">
          <input className="input" type="datetime-local" name="from" value={toLocalInput(draft.from)} onChange={(event) => set('from', fromLocalInput(event.target.value))} />
        </Field>
        <Field label="To">
          <input className="input" type="datetime-local" name="to" value={toLocalInput(draft.to)} onChange={(event) => set('to', fromLocalInput(event.target.value))} />
        </Field>
        <Field label="Sort">
          <select className="input" name="sort" value={sort} onChange={(event) => onApply(draft, event.target.value)}>
            {SORTS.filter((option) => option.value !== 'relevance' || draft.q).map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <div className="preset-row" role="group" aria-label="Quick time ranges">
        {PRESETS.map((p) => (
          <button key={p.label} type="button" className="btn btn-small btn-ghost" onClick={() => preset(p.ms)}>
            {p.label}
          </button>
        ))}
        <button type="button" className="btn btn-small btn-ghost" onClick={() => choose('from', '')}>
          Any time
        </button>
      </div>
      <div className="filter-grid">
        <Field label="Type">{text('type', { list: 'filter-types', placeholder: 'any' })}</Field>
        <Field label="Status">{select('status', ['success', 'failure', 'partial'])}</Field>
        <Field label="Model">{text('model', { list: 'filter-models', placeholder: 'any' })}</Field>
        <Field label="Feedback">{select('feedback_kind', [['any', 'any feedback'], ...FEEDBACK_KINDS.map((k): [string, string] => [k, k.replace('_', ' ')])], 'All')}</Field>
        <Field label="Quality ≥">{text('min_quality_score', { type: 'number', min: 0, max: 100, placeholder: '0' })}</Field>
        <Field label="Quality ≤">{text('max_quality_score', { type: 'number', min: 0, max: 100, placeholder: '100' })}</Field>
        <Field label="User">{text('user_id', { placeholder: 'user id' })}</Field>
        <Field label="Thread">{text('thread_id', { placeholder: 'thread id' })}</Field>
        <Field label="Confidence ≥">{text('min_confidence', { type: 'number', min: 0, max: 1, step: 0.05, placeholder: '0' })}</Field>
        <Field label="Confidence ≤">{text('max_confidence', { type: 'number', min: 0, max: 1, step: 0.05, placeholder: '1' })}</Field>
        <Field label="Handoff">{select('handoff', [['true', 'handed off'], ['false', 'not handed off']])}</Field>
        <div className="filter-actions">
          <button type="submit" className="btn btn-primary">
            Apply
          </button>
          <button
            type="button"
            className="btn btn-ghost"
            onClick={() => {
              setDraft({})
              onApply({}, 'newest')
            }}
          >
            Clear
          </button>
        </div>
      </div>
      <datalist id="filter-types">
        {types.map((type) => (
          <option key={type} value={type} />
        ))}
      </datalist>
      <datalist id="filter-models">
        {models.map((model) => (
          <option key={model} value={model} />
        ))}
      </datalist>
    </form>
  )
}
