/** The Lambda authorizer's code path, run locally against the dev issuer's JWKS served by the stack. */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthorizer, type HttpApiAuthorizerEvent } from '../../authorizer/authorizer';
import { DEV_AUDIENCE, DEV_ISSUER } from '../../authorizer/dev-issuer';
import { DEV_JWKS_PATH, type LocalStack, startLocalStack } from '../../local/local-stack';
import recorded from '../fixtures/apigw-http-authorizer-event.json';
import { testDataDir } from '../support/temp-dir';

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({
    port: 0,
    host: '127.0.0.1',
    store: 'memory',
    dataDir: testDataDir('authz'),
    logger: pino({ level: 'silent' }),
  });
});
afterAll(() => stack?.stop());

describe('the authorizer against the local dev issuer', () => {
  it('allows a dev token and passes tenant, subject and scopes as context', async () => {
    const authorize = createAuthorizer(
      {
        issuer: DEV_ISSUER,
        audience: DEV_AUDIENCE,
        jwksUrl: `${stack.url}${DEV_JWKS_PATH}`,
        tenantClaim: 'tenant',
        algorithms: ['ES256'],
        clockToleranceSeconds: 30,
        jwksTimeoutMs: 2000,
        maxTokenLifetimeSeconds: 86_400,
        logLevel: 'silent',
      },
      { logger: pino({ level: 'silent' }) },
    );
    const token = await stack.issuer.mint({ tenant: 'acme', subject: 'svc-a', scopes: ['tasks:read'] });
    const event = structuredClone(recorded) as HttpApiAuthorizerEvent & {
      headers: Record<string, string>;
      identitySource: string[];
    };
    event.headers.authorization = `Bearer ${token}`;
    event.identitySource = [`Bearer ${token}`];
    expect(await authorize(event)).toEqual({
      isAuthorized: true,
      context: { tenant: 'acme', subject: 'svc-a', scopes: 'tasks:read' },
    });
    event.headers.authorization = `Bearer ${token.slice(0, -4)}AAAA`;
    event.identitySource = [event.headers.authorization];
    expect(await authorize(event)).toEqual({ isAuthorized: false });
  });
});
