import { FlowDefinitionInput } from '@interlog/schema'
import { FlowDefinitionError, type FlowIssue } from '../errors.js'
import { fieldsRead, llmStatements } from './conditions.js'
import type { Flow, Node } from './flow.types.js'
import { placeholders } from './template.js'

/** What the engine that will run the flow can do; a flow that needs more is refused up front. */
export interface FlowCapabilities {
  /** An LLM writes replies from instructions and judges described conditions. */
  llm: boolean
  /** Whether a tool of that name can be called; undefined when it cannot be known before the call (MCP-style providers). */
  hasTool?: (name: string) => boolean
}

/** Cross-checks a flow (references, templates, what its nodes need) and throws FlowDefinitionError listing every problem. */
export function checkFlow(flow: Flow, capabilities: FlowCapabilities): void {
  const issues: FlowIssue[] = []
  const nodes = Object.entries(flow.nodes)
  if (!(flow.start in flow.nodes)) issues.push({ path: 'start', message: `no node named '${flow.start}'` })
  const resultFields = new Set(nodes.flatMap(([, node]) => (node.kind === 'tool' ? [node.result_field] : [])))
  const known = new Set([...Object.keys(flow.fields), ...resultFields])
  const checkNames = (names: string[], path: string) => {
    for (const name of names) if (!known.has(name)) issues.push({ path, message: `'${name}' is neither a field nor a tool's result_field` })
  }
  for (const [id, node] of nodes) {
    const at = `nodes.${id}`
    if (node.kind === 'reply') checkReply(node, at, capabilities, issues, checkNames)
    else checkTool(node, at, flow, capabilities, issues, checkNames)
    for (const [index, edge] of (node.edges ?? []).entries()) {
      const edgeAt = `${at}.edges.${index}`
      if (!(edge.to in flow.nodes)) issues.push({ path: `${edgeAt}.to`, message: `no node named '${edge.to}'` })
      checkNames(fieldsRead(edge.when), `${edgeAt}.when`)
      if (!capabilities.llm && llmStatements(edge.when).length > 0) {
        issues.push({ path: `${edgeAt}.when`, message: 'a described condition needs an LLM navigator; configure an LLM or use a condition on fields' })
      }
    }
  }
  for (const field of Object.keys(flow.fields)) {
    if (resultFields.has(field)) issues.push({ path: `fields.${field}`, message: 'is also a tool’s result_field; give the tool result another name' })
  }
  if (issues.length > 0) throw new FlowDefinitionError(issues)
}

type NameCheck = (names: string[], path: string) => void

function checkReply(node: Extract<Node, { kind: 'reply' }>, at: string, capabilities: FlowCapabilities, issues: FlowIssue[], checkNames: NameCheck): void {
  if (node.template === undefined && node.instructions === undefined) {
    issues.push({ path: `${at}.template`, message: 'a reply node needs instructions (for an LLM), a template, or both' })
  } else if (node.template === undefined && !capabilities.llm) {
    issues.push({ path: `${at}.template`, message: 'without an LLM a reply node needs a template' })
  }
  if (node.template !== undefined) checkNames(placeholders(node.template), `${at}.template`)
  if (node.instructions !== undefined) checkNames(placeholders(node.instructions), `${at}.instructions`)
}

function checkTool(
  node: Extract<Node, { kind: 'tool' }>,
  at: string,
  flow: Flow,
  capabilities: FlowCapabilities,
  issues: FlowIssue[],
  checkNames: NameCheck,
): void {
  const webhook = flow.tools?.[node.tool] !== undefined
  if (!webhook && capabilities.hasTool?.(node.tool) === false) issues.push({ path: `${at}.tool`, message: `no tool named '${node.tool}' is registered` })
  for (const [name, value] of Object.entries(node.arguments ?? {})) {
    if (typeof value === 'string') checkNames(placeholders(value), `${at}.arguments.${name}`)
  }
}

/** Reads a flow from JSON (a file, a request body): the shape is checked by the wire schema, field paths named. */
export function parseFlow(id: string, json: unknown): Flow {
  const parsed = FlowDefinitionInput.safeParse(json)
  if (!parsed.success) {
    throw new FlowDefinitionError(parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.') || '(root)', message: issue.message })))
  }
  return { id, ...parsed.data }
}
