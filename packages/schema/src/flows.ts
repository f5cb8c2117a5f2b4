import { z } from 'zod'
import { JsonObject } from './common.js'

/** Names of fields, context values, nodes and tools: safe in templates (`{{customer_name}}`) and paths. */
export const FlowName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_-]{0,63}$/, 'letters, digits, _ and - (1 to 64, not starting with a digit or -)')

const FieldList = z.array(FlowName).min(1).max(64)

/** A predicate on the session's context, JSON-shaped so that flows can be stored and sent over HTTP. */
export type FlowCondition =
  | { present: string[] }
  | { any_present: string[] }
  | { missing: string[] }
  | { equals: { field: string; value: string | number | boolean } }
  | { message_matches: string }
  | { llm: string }
  | { all_of: FlowCondition[] }
  | { any_of: FlowCondition[] }
  | { not: FlowCondition }

const CONDITION_HELP =
  'expected a condition: {"present":[fields]}, {"any_present":[fields]}, {"missing":[fields]}, {"equals":{"field","value"}}, ' +
  '{"message_matches":"regex"}, {"llm":"description"}, {"all_of":[...]}, {"any_of":[...]} or {"not":{...}}'

export const FlowCondition: z.ZodType<FlowCondition> = z
  .lazy(() =>
    z.union(
      [
        z.strictObject({ present: FieldList.meta({ description: 'every one of these fields has a value' }) }),
        z.strictObject({ any_present: FieldList.meta({ description: 'at least one of these fields has a value' }) }),
        z.strictObject({ missing: FieldList.meta({ description: 'at least one of these fields has no value' }) }),
        z.strictObject({ equals: z.strictObject({ field: FlowName, value: z.union([z.string(), z.number(), z.boolean()]) }) }),
        z.strictObject({
          message_matches: z
            .string()
            .min(1)
            .max(1000)
            .refine(isRegExp, 'not a valid regular expression')
            .meta({ description: "regular expression tested (case-insensitive) on the customer's last message" }),
        }),
        z.strictObject({ llm: z.string().min(1).max(2000).meta({ description: 'a statement the LLM navigator judges true or false' }) }),
        z.strictObject({ all_of: z.array(FlowCondition).min(1).max(32) }),
        z.strictObject({ any_of: z.array(FlowCondition).min(1).max(32) }),
        z.strictObject({ not: FlowCondition }),
      ],
      { error: CONDITION_HELP },
    ),
  )
  .meta({ id: 'FlowCondition' })

function isRegExp(source: string): boolean {
  try {
    new RegExp(source, 'i')
    return true
  } catch {
    return false
  }
}

export const FLOW_ADVANCE = ['auto', 'stepwise'] as const
export type FlowAdvance = (typeof FLOW_ADVANCE)[number]

export const FlowEdge = z
  .strictObject({
    to: FlowName,
    when: z
      .union([FlowCondition, z.string().min(1).max(2000)])
      .optional()
      .meta({ description: 'a condition on the context, or a description the LLM navigator judges; absent: always' }),
    advance: z.enum(FLOW_ADVANCE).default('auto').meta({
      description: 'auto: taken as soon as it holds after the step; stepwise: taken only once the customer has answered',
    }),
  })
  .meta({ id: 'FlowEdge' })
export type FlowEdge = z.input<typeof FlowEdge>

const edges = z.array(FlowEdge).max(32).default([]).meta({ description: 'tried in order after the step; none: the flow ends here' })

export const FlowReplyNode = z
  .strictObject({
    kind: z.literal('reply'),
    instructions: z.string().min(1).max(20_000).optional().meta({ description: 'what the LLM should write (used when the engine has an LLM)' }),
    template: z.string().min(1).max(20_000).optional().meta({ description: 'the reply without an LLM; {{field}} is replaced by its value' }),
    edges,
  })
  .refine((node) => node.instructions !== undefined || node.template !== undefined, {
    message: 'a reply node needs instructions (for an LLM), a template, or both',
    path: ['template'],
  })
  .meta({ id: 'FlowReplyNode' })

const ToolArgument = z.union([z.string().max(20_000), z.number(), z.boolean(), z.null()])

export const FlowToolNode = z
  .strictObject({
    kind: z.literal('tool'),
    tool: FlowName.meta({ description: 'a registered tool (function or MCP-style tool) or one of the flow’s webhook tools' }),
    arguments: z.record(FlowName, ToolArgument).default({}).meta({
      description: 'argument values; "{{field}}" alone passes the value as it is, inside text it is interpolated',
    }),
    result_field: FlowName.meta({ description: 'the context value that receives the tool’s result' }),
    edges,
  })
  .meta({ id: 'FlowToolNode' })

export const FlowNode = z.discriminatedUnion('kind', [FlowReplyNode, FlowToolNode]).meta({ id: 'FlowNode' })
export type FlowNode = z.input<typeof FlowNode>

export const FlowWebhookTool = z
  .strictObject({
    url: z.url({ protocol: /^https?$/ }).max(2000),
    description: z.string().max(2000).optional(),
    headers: z.record(z.string().min(1).max(256), z.string().max(4096)).optional(),
    timeout_ms: z.number().int().min(100).max(120_000).default(10_000),
  })
  .meta({ id: 'FlowWebhookTool', description: 'POSTs {"tool","arguments","flow_id","session_id"} as JSON; the JSON answer is the result' })

export const FlowDefinitionInput = z
  .strictObject({
    name: z.string().min(1).max(256).optional(),
    description: z.string().max(20_000).optional().meta({ description: 'who the agent is; given to the LLM with every reply' }),
    fields: z.record(FlowName, z.string().min(1).max(2000)).meta({ description: 'data to extract: field name → description' }),
    start: FlowName,
    nodes: z.record(FlowName, FlowNode),
    tools: z.record(FlowName, FlowWebhookTool).optional().meta({ description: 'tools the server calls over HTTP' }),
  })
  .meta({ id: 'FlowDefinitionCreate' })
export type FlowDefinitionInput = z.input<typeof FlowDefinitionInput>
/** A definition after parsing: defaults filled in. */
export type FlowDefinitionJson = z.output<typeof FlowDefinitionInput>

export const FlowDefinition = z
  .object({ id: z.string(), ...FlowDefinitionInput.shape, created_at: z.string(), updated_at: z.string() })
  .meta({ id: 'FlowDefinition' })
export type FlowDefinition = z.output<typeof FlowDefinition>

export const FlowMessage = z.object({
  role: z.enum(['user', 'assistant']),
  content: z.string(),
  node: z.string().optional().meta({ description: 'the node that wrote an assistant message' }),
  at: z.string(),
})
export type FlowMessage = z.infer<typeof FlowMessage>

export const FlowTransition = z.object({
  from: z.string(),
  to: z.string(),
  advance: z.enum(FLOW_ADVANCE),
  reason: z.string().meta({ description: 'why the branch was taken' }),
  judged_by: z.enum(['always', 'condition', 'llm']),
})
export type FlowTransition = z.infer<typeof FlowTransition>

export const FlowSessionStatus = z.enum(['active', 'completed'])

export const FlowSession = z
  .object({
    flow_id: z.string(),
    session_id: z.string(),
    user_id: z.string().nullable(),
    status: FlowSessionStatus,
    node: z.string().meta({ description: 'the current node' }),
    waiting: z.boolean().meta({ description: "true: the node's step ran and the flow waits for the customer" }),
    fields: z.record(z.string(), z.string().nullable()).meta({ description: 'the extracted fields (null: not known yet)' }),
    context: JsonObject.meta({ description: 'fields and tool results' }),
    messages: z.array(FlowMessage),
    extracted_through: z.number().int().meta({ description: 'how many messages the extraction agent has read' }),
    turns: z.number().int(),
    version: z.number().int(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'FlowSession' })
export type FlowSession = z.infer<typeof FlowSession>

export const FlowMessageBody = z
  .strictObject({
    message: z.string().min(1).max(20_000),
    user_id: z.string().min(1).max(256).optional().meta({ description: 'the end user (a user-bound key sets it)' }),
  })
  .meta({ id: 'FlowMessageCreate' })

export const FlowTurn = z
  .object({
    flow_id: z.string(),
    session_id: z.string(),
    replies: z.array(z.string()).meta({ description: 'every agent reply of this turn, in order' }),
    fields: z.record(z.string(), z.string().nullable()),
    context: JsonObject,
    path: z.array(z.string()).meta({ description: 'the nodes whose step ran, in order' }),
    transitions: z.array(FlowTransition),
    node: z.string(),
    status: FlowSessionStatus,
    errors: z.array(z.object({ node: z.string(), message: z.string() })).meta({ description: 'tool steps that failed this turn (their result field stays empty)' }),
    stopped: z.enum(['waiting', 'completed', 'max_iterations']).meta({
      description: 'waiting: for the customer; completed: the flow ended; max_iterations: the per-turn step limit',
    }),
  })
  .meta({ id: 'FlowTurn' })
export type FlowTurn = z.infer<typeof FlowTurn>

export const ExtractionFields = z.record(FlowName, z.string().min(1).max(2000)).refine((fields) => Object.keys(fields).length > 0, 'name at least one field')

export const ExtractBody = z
  .strictObject({
    messages: z.array(z.strictObject({ role: z.enum(['user', 'assistant', 'system']), content: z.string().max(100_000) })).min(1).max(1000),
    fields: ExtractionFields,
    engine: z.enum(['offline', 'llm']).optional().meta({ description: 'default: llm when the server has one configured, else offline' }),
  })
  .meta({ id: 'ExtractRequest' })

export const ThreadExtractBody = z
  .strictObject({ fields: ExtractionFields, engine: z.enum(['offline', 'llm']).optional() })
  .meta({ id: 'ThreadExtractRequest' })

export const ExtractResult = z
  .object({ fields: z.record(z.string(), z.string().nullable()), engine: z.enum(['offline', 'llm']) })
  .meta({ id: 'ExtractResult' })
export type ExtractResult = z.infer<typeof ExtractResult>
