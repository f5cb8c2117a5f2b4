import { ErrorBody, FlowDefinition, FlowDefinitionInput, FlowMessageBody, FlowName, FlowSession, FlowTurn } from '@interlog/schema'
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { authOf } from '../http/auth.hook.js'
import type { FlowsService } from './flows.service.js'

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 502: ErrorBody }
const FlowParams = z.object({ flow_id: FlowName })
const SessionParams = FlowParams.extend({ session_id: z.string().min(1).max(256) })
const SessionListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
})
const SessionList = z
  .object({ sessions: z.array(FlowSession), total_count: z.number().int(), returned_count: z.number().int(), limit: z.number().int(), offset: z.number().int() })
  .meta({ id: 'FlowSessionList' })

export function flowsRoutes(app: FastifyInstance, flows: FlowsService): void {
  const r = app.withTypeProvider<ZodTypeProvider>()
  const tags = ['flows']

  r.put(
    '/v1/flows/:flow_id',
    {
      config: { scope: 'admin' },
      schema: {
        tags,
        summary: 'Create or replace a flow definition (201 when new); it is checked whole, with every problem named by its path',
        params: FlowParams,
        body: FlowDefinitionInput,
        response: { 200: FlowDefinition, 201: FlowDefinition, ...errors },
      },
    },
    async (request, reply) => {
      const { created, flow } = await flows.put(authOf(request), request.params.flow_id, request.body)
      return reply.status(created ? 201 : 200).send(flow)
    },
  )

  r.get(
    '/v1/flows',
    { config: { scope: 'read' }, schema: { tags, summary: "The tenant's flows", response: { 200: z.object({ flows: z.array(FlowDefinition) }), ...errors } } },
    async (request) => ({ flows: await flows.list(authOf(request)) }),
  )

  r.get(
    '/v1/flows/:flow_id',
    { config: { scope: 'read' }, schema: { tags, summary: 'A flow definition', params: FlowParams, response: { 200: FlowDefinition, ...errors } } },
    async (request) => flows.get(authOf(request), request.params.flow_id),
  )

  r.delete(
    '/v1/flows/:flow_id',
    { config: { scope: 'admin' }, schema: { tags, summary: 'Delete a flow and its sessions', params: FlowParams, response: { 204: z.null(), ...errors } } },
    async (request, reply) => {
      await flows.delete(authOf(request), request.params.flow_id)
      return reply.status(204).send(null)
    },
  )

  r.post(
    '/v1/flows/:flow_id/sessions/:session_id/messages',
    {
      config: { scope: 'ingest' },
      schema: {
        tags,
        summary: "Run a turn: the customer's message goes through the flow until it waits for the customer, ends, or reaches the step limit",
        description:
          'A new session id starts a session. The answer holds every reply of the turn, the extracted fields, the nodes that ran and why each ' +
          'transition happened. 409 while another message of the same session is being handled on another replica, or once the flow has ended; ' +
          '502 when the LLM failed (the steps before it are kept).',
        params: SessionParams,
        body: FlowMessageBody,
        response: { 200: FlowTurn, ...errors },
      },
    },
    async (request) => flows.message(authOf(request), request.params.flow_id, request.params.session_id, request.body),
  )

  r.get(
    '/v1/flows/:flow_id/sessions/:session_id',
    {
      config: { scope: 'read' },
      schema: { tags, summary: 'A session: current node, fields, context and conversation', params: SessionParams, response: { 200: FlowSession, ...errors } },
    },
    async (request) => flows.session(authOf(request), request.params.flow_id, request.params.session_id),
  )

  r.get(
    '/v1/flows/:flow_id/sessions',
    {
      config: { scope: 'read' },
      schema: { tags, summary: "A flow's sessions, most recently active first", params: FlowParams, querystring: SessionListQuery, response: { 200: SessionList, ...errors } },
    },
    async (request) => flows.sessions(authOf(request), request.params.flow_id, request.query),
  )
}
