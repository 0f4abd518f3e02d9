/**
 * Public agent cards: root = default agent, and one per agent under /agents/{id}.
 * - `.well-known/agent-card.json`: the v1.0 card; a request with `A2A-Version: 0.3` (header or
 *   query) gets the 0.3 card instead (`Vary: A2A-Version`). No header means v1.0 here: discovery
 *   stays v1.0 for tools that send nothing, and the 0.3 path below exists for 0.3 clients.
 * - `.well-known/agent.json` (the pre-0.3 path, where 0.2/0.3 clients look): the 0.3 card.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayDeps } from '../app';
import { buildAgentCard, etagMatches, type ServedCard, serveCard } from '../cards/agent-card';
import { buildLegacyAgentCard } from '../cards/legacy-agent-card';
import { requestedVersion } from '../rpc/protocol-version';

const CACHE_CONTROL = 'public, max-age=300';

interface CardPair {
  v1: ServedCard;
  legacy: ServedCard;
}

export function registerCardRoutes(app: FastifyInstance, deps: GatewayDeps): void {
  const { agents } = deps.useCases;
  const cards = new Map<string, CardPair>(
    agents.all().map((a) => [
      a.id,
      {
        v1: serveCard(buildAgentCard(a, deps.cards)),
        legacy: serveCard(buildLegacyAgentCard(a, deps.cards)),
      },
    ]),
  );

  const send = (
    request: FastifyRequest,
    reply: FastifyReply,
    agentId: string,
    shape: 'negotiated' | 'legacy',
  ) => {
    const pair = cards.get(agentId);
    if (!pair)
      return reply.code(404).send({ error: { code: 404, status: 'NOT_FOUND', message: 'Unknown agent' } });
    const wantsLegacy =
      shape === 'legacy' ||
      (request.headers['a2a-version'] !== undefined || hasVersionQuery(request)
        ? requestedVersion(request.headers, request.query as Record<string, unknown>) === '0.3'
        : false);
    const card = wantsLegacy ? pair.legacy : pair.v1;
    reply.header('cache-control', CACHE_CONTROL).header('etag', card.etag);
    if (shape === 'negotiated') reply.header('vary', 'A2A-Version');
    if (etagMatches(request.headers['if-none-match'], card.etag)) return reply.code(304).send();
    return reply.type('application/json').send(card.json);
  };

  type AgentParams = { Params: { agentId: string } };
  app.get('/.well-known/agent-card.json', (req, reply) => send(req, reply, agents.defaultId, 'negotiated'));
  app.get<AgentParams>('/agents/:agentId/.well-known/agent-card.json', (req, reply) =>
    send(req, reply, req.params.agentId, 'negotiated'),
  );
  app.get('/.well-known/agent.json', (req, reply) => send(req, reply, agents.defaultId, 'legacy'));
  app.get<AgentParams>('/agents/:agentId/.well-known/agent.json', (req, reply) =>
    send(req, reply, req.params.agentId, 'legacy'),
  );
}

function hasVersionQuery(request: FastifyRequest): boolean {
  const q = request.query as Record<string, unknown> | undefined;
  return typeof q?.['A2A-Version'] === 'string';
}
