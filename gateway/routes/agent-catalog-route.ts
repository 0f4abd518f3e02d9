/**
 * GET /agents: the agents behind this gateway that the caller's token may use (its `agent:<id>`
 * scopes; none named = every agent), each with id, name, description, JSON-RPC URL, card URL and
 * skill ids (listed only with tasks:submit). The same list as the extended card's agents
 * extension (reachableAgents). A valid token is required (401); no scope beyond that.
 */
import type { FastifyInstance } from 'fastify';
import { reachableAgents } from '../cards/extended-card';
import type { GatewayDeps } from '../gateway-deps';
import { bearerPrincipal } from './bearer-auth';

export const AGENT_CATALOG_PATH = '/agents';

export function registerAgentCatalogRoute(app: FastifyInstance, deps: GatewayDeps): void {
  app.get(AGENT_CATALOG_PATH, async (request, reply) => {
    const principal = await bearerPrincipal(deps, request, reply);
    if (!principal) return reply;
    return reply
      .header('cache-control', 'private, no-store')
      .send({ agents: reachableAgents(deps.useCases.agents, principal, deps.cards) });
  });
}
