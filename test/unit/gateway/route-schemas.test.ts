/**
 * The gateway gives fastify schema compilers of its own, so fastify never loads ajv or
 * fast-json-stringify (README decision 81): a route given a fastify schema fails when the app
 * gets ready, with a message that says where validation lives, not at its first request.
 */
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../../gateway/app';
import { gatewayHarness } from '../../support/gateway-harness';

describe('fastify route schemas', () => {
  it('are refused when the app gets ready: the method table validates requests', async () => {
    const h = await gatewayHarness();
    const app = await buildApp(h.deps);
    app.post('/with-schema', { schema: { body: { type: 'object' } } }, async () => ({}));
    await expect(app.ready()).rejects.toThrow(/take no fastify schema/);
    await app.close().catch(() => undefined);
  });

  it('are refused for answers too', async () => {
    const h = await gatewayHarness();
    const app = await buildApp(h.deps);
    app.get('/answer-schema', { schema: { response: { 200: { type: 'object' } } } }, async () => ({}));
    await expect(app.ready()).rejects.toThrow(/take no fastify schema/);
    await app.close().catch(() => undefined);
  });
});
