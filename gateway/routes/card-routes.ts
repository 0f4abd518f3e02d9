/**
 * Public agent cards: root = default agent, and one per agent under /agents/{id}.
 * - `.well-known/agent-card.json` answers by `A2A-Version` (header or query), `Vary: A2A-Version`:
 *   1.x gets the v1.0 card, 0.3 the 0.3 card, and a request without a version (the spec's rule:
 *   absent means 0.3) the 0.3 card plus the v1.0 `supportedInterfaces`, so a v1.0 client that
 *   sends no header can use it as well.
 * - `.well-known/agent.json` (the pre-0.3 path, where 0.2/0.3 clients look): the 0.3 card.
 * Each variant has its own ETag.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { buildAgentCard, etagMatches, type ServedCard, serveCard } from '../cards/agent-card';
import { buildLegacyAgentCard, compatAgentCard } from '../cards/legacy-agent-card';
import type { GatewayDeps } from '../gateway-deps';
import { unknownAgentBody } from '../http-errors';
import { requestedVersion } from '../rpc/protocol-version';

const CACHE_CONTROL = 'public, max-age=300';

interface CardVariants {
  v1: ServedCard;
  legacy: ServedCard;
  compat: ServedCard;
}

export function registerCardRoutes(app: FastifyInstance, deps: GatewayDeps): void {
  const { agents } = deps.useCases;
  const cards = new Map<string, CardVariants>(
    agents.all().map((a) => [
      a.id,
      {
        v1: serveCard(buildAgentCard(a, deps.cards)),
        legacy: serveCard(buildLegacyAgentCard(a, deps.cards)),
        compat: serveCard(compatAgentCard(a, deps.cards)),
      },
    ]),
  );

  const send = (
    request: FastifyRequest,
    reply: FastifyReply,
    agentId: string,
    shape: 'negotiated' | 'legacy',
  ) => {
    const variants = cards.get(agentId);
    if (!variants) return reply.code(404).send(unknownAgentBody(agentId));
    const card = shape === 'legacy' ? variants.legacy : variants[negotiated(request)];
    reply.header('cache-control', CACHE_CONTROL).header('etag', card.etag);
    if (shape === 'negotiated') reply.header('vary', 'A2A-Version');
    if (etagMatches(request.headers['if-none-match'], card.etag)) return reply.code(304).send();
    return reply.type('application/json').send(card.json);
  };

  const negotiated = (request: FastifyRequest): 'v1' | 'legacy' | 'compat' => {
    const query = request.query as Record<string, unknown> | undefined;
    const raw = request.headers['a2a-version'] ?? query?.['A2A-Version'];
    if (typeof raw !== 'string' || raw.trim() === '') return 'compat';
    return requestedVersion(request.headers, query).startsWith('0.') ? 'legacy' : 'v1';
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
