/**
 * The 0.3-shaped card of an agent, for 0.3 clients: `protocolVersion: "0.3.0"`, one `url` with
 * `preferredTransport: "JSONRPC"` and every interface in `additionalInterfaces`,
 * `supportsAuthenticatedExtendedCard`, and security in the 0.3 OpenAPI shape
 * (`securitySchemes: {x: {type: ...}}`, `security: [{x: [scopes]}]`). Same capabilities as the
 * v1.0 card. Served at `/.well-known/agent.json` (and per agent), and at `agent-card.json` when
 * the request asks for 0.3. `compatAgentCard` adds the v1.0 `supportedInterfaces`: the card for a
 * request without `A2A-Version`, which a 0.3 client reads as 0.3 and a v1.0 client that sent no
 * header can still use (as the official JS SDK's compatibility layer serves it).
 */
import type { AgentDescriptor } from '../../core/agent-catalog';
import { SCOPE_DESCRIPTIONS } from '../../core/scopes';
import { type CardSettings, interfaceUrlOf, supportedInterfacesOf } from './agent-card';

export function buildLegacyAgentCard(agent: AgentDescriptor, s: CardSettings): Record<string, unknown> {
  const securitySchemes: Record<string, unknown> = {
    bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
  };
  const security: Record<string, string[]>[] = [{ bearer: [] }];
  if (s.oauthTokenUrl) {
    securitySchemes.oauth2 = {
      type: 'oauth2',
      flows: { clientCredentials: { tokenUrl: s.oauthTokenUrl, scopes: SCOPE_DESCRIPTIONS } },
    };
    security.unshift({ oauth2: Object.keys(SCOPE_DESCRIPTIONS) });
  }
  const url = interfaceUrlOf(agent, s);
  const card: Record<string, unknown> = {
    protocolVersion: '0.3.0',
    name: agent.name,
    description: agent.description,
    url,
    preferredTransport: 'JSONRPC',
    additionalInterfaces: [{ url, transport: 'JSONRPC' }],
    version: agent.version,
    capabilities: { streaming: s.streaming, pushNotifications: s.pushNotifications },
    securitySchemes,
    security,
    defaultInputModes: agent.defaultInputModes,
    defaultOutputModes: agent.defaultOutputModes,
    skills: agent.skills,
    supportsAuthenticatedExtendedCard: s.extendedAgentCard,
  };
  if (s.provider) card.provider = s.provider;
  if (s.documentationUrl) card.documentationUrl = s.documentationUrl;
  return card;
}

export function compatAgentCard(agent: AgentDescriptor, s: CardSettings): Record<string, unknown> {
  const card = buildLegacyAgentCard(agent, s);
  // A v1.0 client reading this card looks for its own capability name too.
  const capabilities = { ...(card.capabilities as object), extendedAgentCard: s.extendedAgentCard };
  return { ...card, capabilities, supportedInterfaces: supportedInterfacesOf(agent, s) };
}
