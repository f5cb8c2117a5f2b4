/** A problem in a flow definition, at a path such as `nodes.greet.edges.0.to`. */
export interface FlowIssue {
  path: string
  message: string
}

/** Base class of the errors the flow engine throws on purpose, so callers can map them (the server to HTTP). */
export class FlowError extends Error {
  constructor(
    readonly code: 'invalid_flow' | 'session_conflict' | 'session_completed' | 'unknown_node' | 'llm_failed' | 'tool_not_found' | 'tool_failed' | 'invalid_input',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = new.target.name
  }
}

export class FlowDefinitionError extends FlowError {
  constructor(readonly issues: FlowIssue[]) {
    super('invalid_flow', `Invalid flow: ${issues.slice(0, 3).map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`)
  }
}

/** Another turn changed the session since it was read (two messages at once, or another replica). */
export class SessionConflictError extends FlowError {
  constructor(flowId: string, sessionId: string) {
    super('session_conflict', `Session '${sessionId}' of flow '${flowId}' is handling another message; send this one again once it is answered`)
  }
}

export class SessionCompletedError extends FlowError {
  constructor(flowId: string, sessionId: string) {
    super('session_completed', `Session '${sessionId}' of flow '${flowId}' has reached the end of the flow`)
  }
}

/** The session stands on a node the flow no longer has (the definition changed under it). */
export class UnknownNodeError extends FlowError {
  constructor(flowId: string, node: string) {
    super('unknown_node', `Flow '${flowId}' has no node '${node}' any more; the session cannot go on`)
  }
}

/** An LLM call failed (network, provider error, or an answer that could not be used). */
export class LlmCallError extends FlowError {
  constructor(what: string, cause: unknown) {
    super('llm_failed', `The LLM call for ${what} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause })
  }
}

export class ToolNotFoundError extends FlowError {
  constructor(name: string) {
    super('tool_not_found', `No tool named '${name}' is registered`)
  }
}
