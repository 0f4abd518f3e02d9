/** Public agent cards: root = default agent, and one per agent under /agents/{id}. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayDeps } from '../app';
import { buildAgentCard, etagMatches, type ServedCard, serveCard } from '../cards/agent-card';

const CACHE_CONTROL = 'public, max-age=300';

export function registerCardRoutes(app: FastifyInstance, deps: GatewayDeps): void {
  const { agents } = deps.useCases;
  const cards = new Map<string, ServedCard>(
    agents.all().map((a) => [a.id, serveCard(buildAgentCard(a, deps.cards))]),
  );

  const send = (request: FastifyRequest, reply: FastifyReply, card: ServedCard | undefined) => {
    if (!card)
      return reply.code(404).send({ error: { code: 404, status: 'NOT_FOUND', message: 'Unknown agent' } });
    reply.header('cache-control', CACHE_CONTROL).header('etag', card.etag);
    if (etagMatches(request.headers['if-none-match'], card.etag)) return reply.code(304).send();
    return reply.type('application/json').send(card.json);
  };

  app.get('/.well-known/agent-card.json', (req, reply) => send(req, reply, cards.get(agents.defaultId)));
  app.get<{ Params: { agentId: string } }>('/agents/:agentId/.well-known/agent-card.json', (req, reply) =>
    send(req, reply, cards.get(req.params.agentId)),
  );
}
