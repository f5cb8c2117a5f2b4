import type { FlowCondition } from '@interlog/schema'
import type { ConditionInput, When } from './flow.types.js'

/** A value counts as present unless it is absent, null, or blank text. */
export function isPresent(value: unknown): boolean {
  if (value === undefined || value === null) return false
  return typeof value !== 'string' || value.trim() !== ''
}

/** The LLM navigator's verdict on each described statement (by its text). */
export type Verdicts = ReadonlyMap<string, boolean>

export function evaluate(when: When | undefined, input: ConditionInput, verdicts: Verdicts): boolean {
  if (when === undefined) return true
  if (typeof when === 'function') return when(input) === true
  if (typeof when === 'string') return verdicts.get(when) === true
  return evaluateCondition(when, input, verdicts)
}

function evaluateCondition(condition: FlowCondition, input: ConditionInput, verdicts: Verdicts): boolean {
  const has = (field: string) => isPresent(input.context[field])
  if ('present' in condition) return condition.present.every(has)
  if ('any_present' in condition) return condition.any_present.some(has)
  if ('missing' in condition) return !condition.missing.every(has)
  if ('equals' in condition) return input.context[condition.equals.field] === condition.equals.value
  if ('message_matches' in condition) return new RegExp(condition.message_matches, 'i').test(input.lastCustomerMessage)
  if ('llm' in condition) return verdicts.get(condition.llm) === true
  if ('all_of' in condition) return condition.all_of.every((part) => evaluateCondition(part, input, verdicts))
  if ('any_of' in condition) return condition.any_of.some((part) => evaluateCondition(part, input, verdicts))
  return !evaluateCondition(condition.not, input, verdicts)
}

/** Every statement in a condition that the LLM navigator must judge. */
export function llmStatements(when: When | undefined): string[] {
  if (when === undefined || typeof when === 'function') return []
  if (typeof when === 'string') return [when]
  return conditionParts(when).flatMap((part) => ('llm' in part ? [part.llm] : []))
}

/** Every field a condition reads. */
export function fieldsRead(when: When | undefined): string[] {
  if (when === undefined || typeof when === 'function' || typeof when === 'string') return []
  return conditionParts(when).flatMap((part) => {
    if ('present' in part) return part.present
    if ('any_present' in part) return part.any_present
    if ('missing' in part) return part.missing
    if ('equals' in part) return [part.equals.field]
    return []
  })
}

function conditionParts(condition: FlowCondition): FlowCondition[] {
  if ('all_of' in condition) return [condition, ...condition.all_of.flatMap(conditionParts)]
  if ('any_of' in condition) return [condition, ...condition.any_of.flatMap(conditionParts)]
  if ('not' in condition) return [condition, ...conditionParts(condition.not)]
  return [condition]
}

const list = (fields: string[]) => (fields.length === 1 ? fields[0]! : `${fields.slice(0, -1).join(', ')} and ${fields.at(-1)}`)

/** A condition in words, for the "why" of a transition. */
export function describe(when: When | undefined): string {
  if (when === undefined) return 'always'
  if (typeof when === 'function') return when.description ?? `predicate ${when.name || '(anonymous)'}`
  if (typeof when === 'string') return when
  return describeCondition(when)
}

function describeCondition(condition: FlowCondition): string {
  if ('present' in condition) return `${list(condition.present)} ${condition.present.length === 1 ? 'is' : 'are'} known`
  if ('any_present' in condition) return `one of ${list(condition.any_present)} is known`
  if ('missing' in condition) return `${list(condition.missing)} ${condition.missing.length === 1 ? 'is' : 'are'} not all known`
  if ('equals' in condition) return `${condition.equals.field} is ${JSON.stringify(condition.equals.value)}`
  if ('message_matches' in condition) return `the customer's message matches /${condition.message_matches}/i`
  if ('llm' in condition) return condition.llm
  if ('all_of' in condition) return condition.all_of.map(describeCondition).join(' and ')
  if ('any_of' in condition) return `(${condition.any_of.map(describeCondition).join(') or (')})`
  return `not (${describeCondition(condition.not)})`
}
