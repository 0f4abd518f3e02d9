import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENTS_EXTENSION_URI } from '../../../gateway/cards/extended-card';
import { gatewayHarness, type Harness } from '../../support/gateway-harness';

let h: Harness;
beforeAll(async () => {
  h = await gatewayHarness();
});
afterAll(() => h.close());

const card = async (
  token: string,
  agent = 'echo',
  version: string | null = '1.0',
  method = 'GetExtendedAgentCard',
) => {
  const res = await h.rpc(method, {}, { token, agent, version });
  return { status: res.statusCode, body: res.json() };
};
const agentsOf = (c: {
  capabilities: { extensions: { uri: string; params: { agents: { id: string }[] } }[] };
}) => c.capabilities.extensions.find((e) => e.uri === AGENTS_EXTENSION_URI)?.params.agents.map((a) => a.id);

describe('GetExtendedAgentCard', () => {
  it('needs authentication', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/agents/echo',
      headers: { 'content-type': 'application/json', 'a2a-version': '1.0' },
      payload: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'GetExtendedAgentCard', params: {} }),
    });
    expect(res.statusCode).toBe(401);
  });

  it('lists skills and every reachable agent for a token with tasks:submit and no agent scopes', async () => {
    const { body } = await card(await h.token({ scopes: ['tasks:submit'] }));
    expect(body.result.skills.map((s: { id: string }) => s.id)).toEqual(['echo']);
    expect(agentsOf(body.result)).toEqual(expect.arrayContaining(['echo', 'conformance']));
    expect(body.result.capabilities.extendedAgentCard).toBe(true);
  });

  it('lists only the agents named by agent scopes', async () => {
    const { body } = await card(await h.token({ scopes: ['tasks:submit'], agents: ['echo'] }));
    expect(agentsOf(body.result)).toEqual(['echo']);
  });

  it('lists no skills to a token that cannot submit', async () => {
    const { body } = await card(await h.token({ scopes: ['tasks:read'] }));
    expect(body.result.skills).toEqual([]);
  });

  it('is forbidden on an agent the token may not reach', async () => {
    const { status } = await card(
      await h.token({ scopes: ['tasks:submit'], agents: ['echo'] }),
      'conformance',
    );
    expect(status).toBe(403);
  });

  it('answers the 0.3 method with a 0.3-shaped card', async () => {
    const { body } = await card(
      await h.token({ scopes: ['tasks:submit'] }),
      'echo',
      null,
      'agent/getAuthenticatedExtendedCard',
    );
    expect(body.result.protocolVersion).toBe('0.3.0');
    expect(agentsOf(body.result)).toEqual(expect.arrayContaining(['echo']));
  });
});
