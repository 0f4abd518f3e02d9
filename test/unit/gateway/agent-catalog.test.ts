/**
 * GET /agents lists the agents the caller's token may use, with the same rules (and the same
 * function) as the extended card's agents extension: a valid token, `agent:<id>` scopes filter the
 * list, skills only with tasks:submit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENTS_EXTENSION_URI } from '../../../gateway/cards/extended-card';
import { gatewayHarness, type Harness } from '../../support/gateway-harness';

let h: Harness;

beforeAll(async () => {
  h = await gatewayHarness();
});
afterAll(async () => {
  await h.close();
});

const catalog = (token: string | undefined) =>
  h.app.inject({
    method: 'GET',
    url: '/agents',
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });

const ids = (body: { agents: { id: string }[] }): string[] => body.agents.map((a) => a.id);

describe('GET /agents', () => {
  it('lists every agent with its name, description, endpoint, card URL and skills as JSON', async () => {
    const res = await catalog(await h.token());
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const body = res.json();
    expect(ids(body)).toEqual(h.deps.useCases.agents.all().map((a) => a.id));
    const echo = body.agents.find((a: { id: string }) => a.id === 'echo');
    expect(echo).toMatchObject({ name: 'Echo', skills: ['echo'] });
    expect(echo.description).toEqual(expect.any(String));
    expect(echo.url).toMatch(/\/agents\/echo$/);
    expect(echo.cardUrl).toMatch(/\/agents\/echo\/\.well-known\/agent-card\.json$/);
  });

  it('answers 401 with a JSON body without a valid token', async () => {
    for (const token of [undefined, 'not-a-jwt']) {
      const res = await catalog(token);
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toContain('Bearer');
      expect(res.json()).toMatchObject({ error: { code: 401, status: 'UNAUTHENTICATED' } });
    }
  });

  it('lists only the agents named by the token agent:<id> scopes', async () => {
    const res = await catalog(await h.token({ agents: ['echo'] }));
    expect(res.statusCode).toBe(200);
    expect(ids(res.json())).toEqual(['echo']);
  });

  it('lists no skills to a token without tasks:submit', async () => {
    const res = await catalog(await h.token({ scopes: ['tasks:read'] }));
    expect(res.json().agents.every((a: { skills: string[] }) => a.skills.length === 0)).toBe(true);
  });

  it('lists the same agents as the extended card agents extension', async () => {
    const token = await h.token({ agents: ['echo', 'conformance'] });
    const card = await h.rpc('GetExtendedAgentCard', {}, { agent: 'echo', token });
    const ext = card
      .json()
      .result.capabilities.extensions.find((e: { uri: string }) => e.uri === AGENTS_EXTENSION_URI);
    expect((await catalog(token)).json().agents).toEqual(ext.params.agents);
  });
});
