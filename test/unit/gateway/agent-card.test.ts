import { describe, expect, it } from 'vitest';
import { AGENTS } from '../../../core/agent-catalog';
import { SCOPE_DESCRIPTIONS } from '../../../core/scopes';
import { buildAgentCard } from '../../../gateway/cards/agent-card';

const echo = AGENTS.find((a) => a.id === 'echo');
if (!echo) throw new Error('echo agent missing');
const settings = {
  publicBaseUrl: 'https://a2a.example.com/',
  streaming: true,
  pushNotifications: true,
  extendedAgentCard: true,
};

describe('agent card security', () => {
  it('declares the OAuth2 client-credentials flow with the token URL and the scope table', () => {
    const card = buildAgentCard(echo, { ...settings, oauthTokenUrl: 'https://idp.example.com/oauth2/token' });
    expect(card.securitySchemes).toMatchObject({
      oauth2: {
        oauth2SecurityScheme: {
          flows: {
            clientCredentials: {
              tokenUrl: 'https://idp.example.com/oauth2/token',
              scopes: SCOPE_DESCRIPTIONS,
            },
          },
        },
      },
      bearer: { httpAuthSecurityScheme: { scheme: 'Bearer', bearerFormat: 'JWT' } },
    });
    const requirements = card.securityRequirements as { schemes: Record<string, { list: string[] }> }[];
    expect(requirements.filter((r) => r.schemes.oauth2).map((r) => r.schemes.oauth2?.list)).toEqual(
      Object.keys(SCOPE_DESCRIPTIONS).map((s) => [s]),
    );
    expect(JSON.stringify(card)).not.toMatch(/secret|"credentials"/i);
  });

  it('lists only the bearer scheme when no token URL is configured', () => {
    const card = buildAgentCard(echo, settings);
    expect(Object.keys(card.securitySchemes as object)).toEqual(['bearer']);
    expect(card.supportedInterfaces).toContainEqual({
      url: 'https://a2a.example.com/agents/echo',
      protocolBinding: 'JSONRPC',
      protocolVersion: '1.0',
    });
  });
});
