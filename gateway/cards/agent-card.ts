/**
 * v1.0 agent cards, built once per process from the agent catalog and the gateway settings.
 * Capabilities say exactly what this deployment serves.
 */
import { createHash } from 'node:crypto';
import type { AgentDescriptor } from '../../core/agent-catalog';
import { SCOPE_DESCRIPTIONS } from '../../core/scopes';

export interface CardSettings {
  /** public base URL of the gateway, e.g. https://api.example.com or http://127.0.0.1:8080 */
  publicBaseUrl: string;
  /**
   * base URL of the JSON-RPC interface when it is not publicBaseUrl: in AWS with streaming on,
   * the Lambda function URL that streams (and serves every other method too)
   */
  interfaceUrl?: string;
  /** true only where the advertised interface serves SSE */
  streaming: boolean;
  pushNotifications: boolean;
  extendedAgentCard: boolean;
  /** OAuth token URL for the client-credentials flow; without it only the bearer scheme is listed */
  oauthTokenUrl?: string;
  provider?: { organization: string; url: string };
  documentationUrl?: string;
}

export interface ServedCard {
  json: string;
  etag: string;
}

export const agentPath = (agentId: string): string => `/agents/${encodeURIComponent(agentId)}`;

/** The URL of an agent's interfaces (JSON-RPC posts to it; HTTP+JSON paths hang below it). */
export const interfaceUrlOf = (agent: AgentDescriptor, s: CardSettings): string =>
  `${(s.interfaceUrl ?? s.publicBaseUrl).replace(/\/+$/, '')}${agentPath(agent.id)}`;

/** The v1.0 interfaces of an agent, in the order clients should prefer them. */
export function supportedInterfacesOf(agent: AgentDescriptor, s: CardSettings): Record<string, string>[] {
  const url = interfaceUrlOf(agent, s);
  // JSON-RPC first (README decision 48): every SDK speaks it and it is where conformance is
  // measured longest; HTTP+JSON (gateway/rest) next, for clients that prefer per-operation URLs;
  // the same JSON-RPC endpoint serves 0.3 (gateway/compat), declared last.
  return [
    { url, protocolBinding: 'JSONRPC', protocolVersion: '1.0' },
    { url, protocolBinding: 'HTTP+JSON', protocolVersion: '1.0' },
    { url, protocolBinding: 'JSONRPC', protocolVersion: '0.3' },
  ];
}

export function buildAgentCard(agent: AgentDescriptor, s: CardSettings): Record<string, unknown> {
  const securitySchemes: Record<string, unknown> = {
    bearer: { httpAuthSecurityScheme: { scheme: 'Bearer', bearerFormat: 'JWT' } },
  };
  const securityRequirements: unknown[] = [{ schemes: { bearer: { list: [] } } }];
  if (s.oauthTokenUrl) {
    securitySchemes.oauth2 = {
      oauth2SecurityScheme: {
        flows: { clientCredentials: { tokenUrl: s.oauthTokenUrl, scopes: SCOPE_DESCRIPTIONS } },
      },
    };
    // Alternatives: a token with any one scope gets in; each method then needs its own scope (the
    // scope descriptions name the methods, as the README's scope table does).
    securityRequirements.unshift(
      ...Object.keys(SCOPE_DESCRIPTIONS).map((scope) => ({ schemes: { oauth2: { list: [scope] } } })),
    );
  }
  const card: Record<string, unknown> = {
    name: agent.name,
    description: agent.description,
    supportedInterfaces: supportedInterfacesOf(agent, s),
    version: agent.version,
    capabilities: {
      streaming: s.streaming,
      pushNotifications: s.pushNotifications,
      extendedAgentCard: s.extendedAgentCard,
    },
    securitySchemes,
    securityRequirements,
    defaultInputModes: agent.defaultInputModes,
    defaultOutputModes: agent.defaultOutputModes,
    skills: agent.skills,
  };
  if (s.provider) card.provider = s.provider;
  if (s.documentationUrl) card.documentationUrl = s.documentationUrl;
  return card;
}

export function serveCard(card: Record<string, unknown>): ServedCard {
  const json = JSON.stringify(card);
  return { json, etag: `"${createHash('sha256').update(json).digest('base64url').slice(0, 27)}"` };
}

/** True when an If-None-Match header matches the ETag (weak comparison, lists and * allowed). */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((t) => {
    const tag = t.trim().replace(/^W\//, '');
    return tag === '*' || tag === etag;
  });
}
