export type { ConditionInput, Edge, Flow, Node, Predicate, ReplyNode, ToolArgument, ToolNode, WebhookToolDefinition, When } from './definition/flow.types.js'
export { checkFlow, parseFlow, type FlowCapabilities } from './definition/check-flow.js'
export { describe as describeCondition, evaluate as evaluateCondition, isPresent } from './definition/conditions.js'
export { render as renderTemplate } from './definition/template.js'
export { FlowEngine, type FlowEngineOptions, type HandleOptions } from './engine/flow-engine.js'
export { JsonFileSessionStore, MemorySessionStore, withSnapshots, sessionFile, type SessionStore } from './engine/session-store.js'
export { KeyedQueue, newSession } from './engine/session-state.js'
export type { FlowTracer, StepType } from './engine/step-tracer.js'
export {
  emptyFields,
  lastExchanges,
  mergeExtracted,
  type ConversationMessage,
  type ExtractionEngine,
  type ExtractionOutcome,
  type ExtractionRequest,
  type Extractor,
} from './extraction/extractor.js'
export { LlmExtractor, UPDATE_CONTEXT_TOOL } from './extraction/llm.extractor.js'
export { OfflineExtractor, type OfflineExtractorOptions } from './extraction/offline/offline.extractor.js'
export { LlmClient, type LlmOptions, type LlmUsage } from './llm/llm-client.js'
export { ToolCallError, ToolRegistry, type McpStyleToolProvider, type McpToolResult, type ToolCallContext, type ToolFunction, type ToolsOptions } from './tools/tools.js'
export {
  FlowDefinitionError,
  FlowError,
  LlmCallError,
  SessionCompletedError,
  SessionConflictError,
  ToolNotFoundError,
  UnknownNodeError,
  type FlowIssue,
} from './errors.js'
export { customerServiceFlow, demoTools, offlineCustomerServiceFlow } from './example/customer-service.js'
export type { CountryCode as PhoneRegion } from 'libphonenumber-js'
