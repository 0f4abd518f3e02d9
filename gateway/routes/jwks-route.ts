/**
 * GET /.well-known/jwks.json: the public keys that sign push notifications (current and
 * previous, so a rotation never breaks a receiver mid-overlap). Public, cacheable briefly.
 */
import type { FastifyInstance } from 'fastify';

export interface PushKeySource {
  /** the current public JWKS; called per request, so implementations cache */
  jwks(): Promise<{ keys: unknown[] }>;
}

export function registerJwksRoute(app: FastifyInstance, keys: PushKeySource): void {
  app.get('/.well-known/jwks.json', async (_req, reply) => {
    const jwks = await keys.jwks();
    return reply
      .header('cache-control', 'public, max-age=300')
      .type('application/jwk-set+json')
      .send(JSON.stringify(jwks));
  });
}
