import type { Interlog } from '../client.js'
import { InterlogError } from '../errors.js'
import { mergeFields } from '../merge-fields.js'
import type { TrackInput } from '../types.js'
import type { CallMapper } from './call-mapper.js'
import { record, type Loose } from './read.js'
import { observeStream } from './stream.js'

/**
 * One instrumented OpenAI call, from request to outcome, sent as one interaction. Fields the app gave
 * (wrapOpenAI defaults, then the call's own `interlog` option) win over what was read from the call,
 * so an app can, for example, set `provider: 'azure-openai'`.
 */
export class CallRecording {
  private readonly startedAt: number
  private readonly requestFields: TrackInput

  constructor(
    private readonly interlog: Interlog,
    private readonly mapper: CallMapper,
    private readonly params: Loose,
    private readonly appFields: TrackInput,
  ) {
    this.startedAt = interlog.now()
    this.requestFields = mapper.request(params)
  }

  /** A complete result: record it and hand back the very same value. */
  complete(value: unknown): unknown {
    this.guard(() => this.send(this.mapper.response(record(value) ?? {}, this.params)))
    return value
  }

  fail(error: unknown, partial: TrackInput = {}): void {
    this.guard(() => this.send({ ...partial, status: 'failure', error }))
  }

  /** A stream: watched as the app reads it, recorded when it ends (completed, cancelled or failed). */
  observe(stream: unknown): unknown {
    const accumulator = this.mapper.stream()
    let firstOutputAt: number | undefined
    return observeStream(stream, {
      onItem: (item) =>
        this.guard(() => {
          accumulator.add(item)
          if (firstOutputAt === undefined && accumulator.producedOutput) firstOutputAt = this.interlog.now()
        }),
      onEnd: (end) =>
        this.guard(() => {
          const streamed: TrackInput = mergeFields(accumulator.fields(this.params), {
            metadata: {
              stream: true,
              ...(firstOutputAt !== undefined ? { time_to_first_token_ms: Math.max(0, firstOutputAt - this.startedAt) } : {}),
            },
          })
          if (end.kind === 'failed') this.fail(end.error, streamed)
          // Stopped early by the app: what arrived is real but not the whole reply.
          else if (end.kind === 'cancelled') this.send({ ...streamed, status: 'partial' })
          else this.send(streamed)
        }),
    })
  }

  private send(outcome: TrackInput): void {
    const endedAt = this.interlog.now()
    const derived = mergeFields(this.requestFields, outcome)
    this.interlog.track(
      mergeFields(
        {
          ...derived,
          status: derived.status ?? (derived.error === undefined ? 'success' : 'failure'),
          timestamp: this.startedAt,
          endedAt,
          latencyMs: Math.max(0, endedAt - this.startedAt),
        },
        this.appFields,
      ),
    )
  }

  /** Instrumentation must never disturb the call it watches. */
  private guard(run: () => void): void {
    try {
      run()
    } catch (error) {
      this.interlog.reportProblem(new InterlogError('instrumentation_failed', 'could not record an OpenAI call', { cause: error }))
    }
  }
}
