const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_-]*)\s*\}\}/g
const WHOLE_PLACEHOLDER = /^\{\{\s*([A-Za-z_][A-Za-z0-9_-]*)\s*\}\}$/

/** The fields a template names. */
export function placeholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((match) => match[1]!)
}

function text(value: unknown): string {
  if (value === undefined || value === null) return ''
  return typeof value === 'string' ? value : JSON.stringify(value)
}

/** Replaces `{{field}}` with the context value (objects as JSON, unknown fields as nothing). */
export function render(template: string, context: Readonly<Record<string, unknown>>): string {
  return template.replace(PLACEHOLDER, (_match, name: string) => text(context[name]))
}

/** A tool argument: `"{{field}}"` alone passes the value itself (a number stays a number); other text is rendered. */
export function resolveArgument(value: string | number | boolean | null, context: Readonly<Record<string, unknown>>): unknown {
  if (typeof value !== 'string') return value
  const whole = WHOLE_PLACEHOLDER.exec(value)
  if (whole) return context[whole[1]!] ?? null
  return render(value, context)
}
