import { FlowDefinitionError, FlowError } from '@interlog/flows'
import { ConflictError, UpstreamError, ValidationError, type AppError } from '../errors/errors.js'

/** The flows library's typed errors as the API's typed errors (the error handler maps those to HTTP). */
export function appErrorFrom(error: unknown): unknown {
  if (error instanceof FlowDefinitionError) return new ValidationError(error.message, error.issues)
  if (!(error instanceof FlowError)) return error
  const mapped: Record<FlowError['code'], () => AppError> = {
    invalid_flow: () => new ValidationError(error.message),
    invalid_input: () => new ValidationError(error.message),
    session_conflict: () => new ConflictError(error.message),
    session_completed: () => new ConflictError(error.message),
    unknown_node: () => new ConflictError(error.message),
    llm_failed: () => new UpstreamError(error.message),
    tool_not_found: () => new ValidationError(error.message),
    tool_failed: () => new UpstreamError(error.message),
  }
  return mapped[error.code]()
}

/** Runs work that calls the flows library, turning its errors into the API's. */
export async function withAppErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    throw appErrorFrom(error)
  }
}
