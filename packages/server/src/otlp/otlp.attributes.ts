import type { AttributeValue, Attributes } from './otlp.model.js'

/**
 * An OTLP AnyValue as decoded from protobuf (int64 as Long, bytes as Uint8Array) or from OTLP/JSON
 * (int64 as a decimal string or number, bytes as base64). Exactly one field is set; none is an empty value.
 */
export interface AnyValueLike {
  stringValue?: string
  boolValue?: boolean
  intValue?: number | string | { toNumber(): number; toString(): string }
  doubleValue?: number | string
  arrayValue?: { values?: AnyValueLike[] | null } | null
  kvlistValue?: { values?: KeyValueLike[] | null } | null
  bytesValue?: Uint8Array | string
}

export interface KeyValueLike {
  key: string
  value?: AnyValueLike | null
}

const has = (value: object, key: string) => Object.prototype.hasOwnProperty.call(value, key)

/** int64 → number when it is exact, else its decimal string (token counts and the like always fit). */
function int64(value: NonNullable<AnyValueLike['intValue']>): number | string {
  if (typeof value === 'number') return value
  const text = value.toString()
  const number = Number(text)
  return Number.isSafeInteger(number) ? number : text
}

/** JSON has no NaN or Infinity, so OTLP/JSON sends them as strings; keep them as strings too. */
const double = (value: number | string): number | string => (typeof value === 'number' && Number.isFinite(value) ? value : String(value))

export function anyValueToJs(value: AnyValueLike | null | undefined): AttributeValue {
  if (!value) return null
  if (has(value, 'stringValue')) return value.stringValue!
  if (has(value, 'boolValue')) return value.boolValue!
  if (has(value, 'intValue')) return int64(value.intValue!)
  if (has(value, 'doubleValue')) return double(value.doubleValue!)
  if (has(value, 'arrayValue')) return (value.arrayValue?.values ?? []).map(anyValueToJs)
  if (has(value, 'kvlistValue')) return keyValuesToJs(value.kvlistValue?.values)
  if (has(value, 'bytesValue')) {
    const bytes = value.bytesValue!
    return typeof bytes === 'string' ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')
  }
  return null
}

export function keyValuesToJs(values: readonly KeyValueLike[] | null | undefined): Attributes {
  const result: Attributes = {}
  for (const { key, value } of values ?? []) result[key] = anyValueToJs(value)
  return result
}

/**
 * Reads a span's attributes by name and remembers which ones it mapped, so that whatever is left
 * (`unmapped()`) can be kept verbatim in the interaction's metadata. A value of an unexpected type is
 * not mapped, and so stays in the metadata too.
 */
export class AttributeReader {
  private readonly mapped = new Set<string>()

  constructor(readonly all: Attributes) {}

  has(key: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.all, key)
  }

  /** Marks a key as mapped without reading it through one of the typed getters. */
  take(key: string): AttributeValue | undefined {
    if (!this.has(key)) return undefined
    this.mapped.add(key)
    return this.all[key]
  }

  /** The first non-empty string (numbers and booleans are written out) among the keys. */
  string(...keys: string[]): string | undefined {
    for (const key of keys) {
      const value = this.all[key]
      if ((typeof value === 'string' && value !== '') || typeof value === 'number' || typeof value === 'boolean') {
        this.mapped.add(key)
        return String(value)
      }
    }
    return undefined
  }

  /** The first non-negative integer among the keys; decimal strings count (some SDKs send them). */
  count(...keys: string[]): number | undefined {
    for (const key of keys) {
      const value = this.all[key]
      const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value
      if (typeof number === 'number' && Number.isSafeInteger(number) && number >= 0) {
        this.mapped.add(key)
        return number
      }
    }
    return undefined
  }

  /** A finite number, or a list of strings: the shapes model parameters take. */
  parameter(key: string): number | boolean | string | string[] | undefined {
    const value = this.all[key]
    const ok =
      (typeof value === 'number' && Number.isFinite(value)) ||
      typeof value === 'boolean' ||
      typeof value === 'string' ||
      (Array.isArray(value) && value.every((item) => typeof item === 'string'))
    if (!ok) return undefined
    this.mapped.add(key)
    return value as number | boolean | string | string[]
  }

  /** Keys matching the pattern (for indexed families such as `gen_ai.prompt.<n>.role`). */
  keysMatching(pattern: RegExp): string[] {
    return Object.keys(this.all).filter((key) => pattern.test(key))
  }

  unmapped(): Attributes {
    const rest: Attributes = {}
    for (const [key, value] of Object.entries(this.all)) if (!this.mapped.has(key)) rest[key] = value
    return rest
  }
}
