/**
 * Typed errors. Services throw these; the HTTP layer maps them to responses in one place
 * (http/error-handler.ts), and the CLI prints their message.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
    this.name = new.target.name
  }
}

export interface FieldIssue {
  path: string
  message: string
  code?: string
}

export class ValidationError extends AppError {
  constructor(message: string, readonly issues: FieldIssue[] = []) {
    super(400, 'invalid_request', message, issues.length > 0 ? { issues } : undefined)
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'A valid API key is required (Authorization: Bearer <key>)') {
    super(401, 'unauthorized', message)
  }
}

export class ForbiddenError extends AppError {
  constructor(message: string, details?: unknown) {
    super(403, 'forbidden', message, details)
  }
}

export class MissingScopeError extends ForbiddenError {
  /** The scope named first; `anyOf` lists every scope that would do. */
  readonly scope: string
  readonly anyOf: readonly string[]

  /** With more than one scope, any one of them would do. */
  constructor(scope: string | readonly string[]) {
    const anyOf = typeof scope === 'string' ? [scope] : scope
    const [first, ...others] = anyOf
    super(
      others.length === 0 ? `This API key lacks the '${first}' scope` : `This API key needs one of the scopes ${anyOf.map((s) => `'${s}'`).join(', ')}`,
      others.length === 0 ? { required_scope: first } : { required_scope: first, any_of: anyOf },
    )
    this.scope = first!
    this.anyOf = anyOf
  }
}

export class NotFoundError extends AppError {
  constructor(what: string) {
    super(404, 'not_found', `${what} not found`)
  }
}

export class ConflictError extends AppError {
  constructor(message: string) {
    super(409, 'conflict', message)
  }
}

export class UnavailableError extends AppError {
  constructor(message: string) {
    super(503, 'unavailable', message)
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(message: string) {
    super(413, 'payload_too_large', message)
  }
}

export class UnsupportedMediaTypeError extends AppError {
  constructor(message: string) {
    super(415, 'unsupported_media_type', message)
  }
}

/** The tenant switched data collection off: nothing is stored until it is switched on again. */
export class CollectionDisabledError extends AppError {
  constructor() {
    super(403, 'collection_disabled', 'Data collection is switched off for this tenant (PUT /v1/settings/collection); nothing was stored')
  }
}

/** A service we depend on (an LLM provider) failed; the request may succeed later. */
export class UpstreamError extends AppError {
  constructor(message: string) {
    super(502, 'upstream_error', message)
  }
}
