/**
 * AUTH_MODE / AUTH_REVERIFY on the gateway's Lambda entry (gateway/lambda/lambda.ts), loaded with the env
 * Terraform gives it (terraform/env.tf sets AUTH_MODE=authorizer, AUTH_REVERIFY and every AUTH_*
 * variable) and invoked with the recorded HTTP API event. With re-verification off the authorizer
 * context is trusted and no JWKS is fetched; with it on, the bearer token must verify too.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { ensureTable } from '../../adapters/dynamo/table-schema';
import { type JwksServer, startJwksServer } from '../support/jwks-server';
import {
  createTestKeys,
  signToken,
  TEST_AUDIENCE,
  TEST_ISSUER,
  type TestKey,
  type TestKeys,
} from '../support/jwt-fixtures';
import { httpApiEvent } from '../support/lambda-events';
import { awsTestEnv, lambdaEmulatorEnv } from '../support/moto';

type Handler = (event: unknown, context: unknown) => Promise<{ statusCode: number; body: string }>;

let keys: TestKeys;
let jwks: JwksServer;
let baseEnv: Record<string, string>;

beforeAll(async () => {
  keys = await createTestKeys();
  jwks = await startJwksServer(keys.jwks);
  const table = `lambda-auth-${Date.now()}`;
  const dynamo = inject('dynamoEndpoint');
  await ensureTable(new DynamoDBClient(awsTestEnv(dynamo)), table);
  const sqs = new SQSClient(awsTestEnv(inject('motoEndpoint')));
  const workQueue = await sqs.send(new CreateQueueCommand({ QueueName: `auth-work-${Date.now()}` }));
  baseEnv = {
    ...lambdaEmulatorEnv({ table, dynamo, moto: inject('motoEndpoint') }),
    WORK_QUEUE_URL: workQueue.QueueUrl ?? '',
    PUSH_QUEUE_URL: workQueue.QueueUrl ?? '',
    PUSH_SIGNING_SECRET_ID: 'unused-here',
    PUBLIC_BASE_URL: 'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com',
    AUTH_MODE: 'authorizer',
    AUTH_ISSUER: TEST_ISSUER,
    AUTH_AUDIENCE: TEST_AUDIENCE,
    AUTH_JWKS_URL: jwks.url,
    AUTH_ALGORITHMS: 'ES256',
  };
});
afterEach(() => {
  vi.unstubAllEnvs();
});
afterAll(() => jwks?.close());

/** A cold start of gateway/lambda/lambda.ts with this env. */
async function coldStart(env: Record<string, string>): Promise<Handler> {
  for (const [name, value] of Object.entries({ ...baseEnv, ...env })) vi.stubEnv(name, value);
  vi.resetModules();
  return (await import('../../gateway/lambda/lambda')).handler as Handler;
}

/** The recorded event (authorizer context: tenant acme, subject alice) with this Authorization. */
function getTaskEvent(authorization: string) {
  const e = httpApiEvent({
    body: { jsonrpc: '2.0', id: 1, method: 'GetTask', params: { id: 'no-such-task' } },
  });
  (e.headers as Record<string, string>).authorization = authorization;
  return e;
}

const context = { awsRequestId: 'req-auth', functionName: 'gateway' };
/** A token for the principal of the recorded authorizer context (tenant acme, subject alice). */
const aliceToken = (key: TestKey, ttlSeconds = 300) =>
  signToken({ key, ttlSeconds, claims: { tenant: 'acme', sub: 'alice', scope: 'tasks:read' } });

describe('gateway Lambda entry with AUTH_REVERIFY=false (the default)', () => {
  it('trusts the authorizer context and never fetches the JWKS', async () => {
    const handler = await coldStart({ AUTH_REVERIFY: 'false' });
    const before = jwks.requests;
    for (const token of [await aliceToken(keys.ec), await aliceToken(keys.stranger)]) {
      const res = await handler(getTaskEvent(`Bearer ${token}`), context);
      expect(res.statusCode, res.body).toBe(200);
      expect(JSON.parse(res.body).error.code).toBe(-32001);
    }
    expect(jwks.requests - before).toBe(0);
  });

  it('is the default when AUTH_REVERIFY is not set', async () => {
    const handler = await coldStart({});
    const before = jwks.requests;
    const res = await handler(getTaskEvent(`Bearer ${await aliceToken(keys.ec)}`), context);
    expect(res.statusCode, res.body).toBe(200);
    expect(jwks.requests - before).toBe(0);
  });
});

describe('gateway Lambda entry with AUTH_REVERIFY=true', () => {
  it('refuses a bad bearer token even with an authorizer context', async () => {
    const handler = await coldStart({ AUTH_REVERIFY: 'true' });
    for (const authorization of [`Bearer ${await aliceToken(keys.stranger)}`, 'Bearer not.a.jwt']) {
      const res = await handler(getTaskEvent(authorization), context);
      expect(res.statusCode, authorization).toBe(401);
    }
  });

  it('accepts a token that verifies and names the principal of the authorizer context', async () => {
    const handler = await coldStart({ AUTH_REVERIFY: 'true' });
    const before = jwks.requests;
    const res = await handler(getTaskEvent(`Bearer ${await aliceToken(keys.ec)}`), context);
    expect(res.statusCode, res.body).toBe(200);
    expect(JSON.parse(res.body).error.code).toBe(-32001);
    expect(jwks.requests - before).toBe(1);
  });

  it('refuses a token living longer than AUTH_MAX_TOKEN_LIFETIME_SECONDS (24 h by default)', async () => {
    const twoDays = `Bearer ${await aliceToken(keys.ec, 48 * 3600)}`;
    const byDefault = await coldStart({ AUTH_REVERIFY: 'true' });
    expect((await byDefault(getTaskEvent(twoDays), context)).statusCode).toBe(401);
    const longer = await coldStart({ AUTH_REVERIFY: 'true', AUTH_MAX_TOKEN_LIFETIME_SECONDS: '259200' });
    expect((await longer(getTaskEvent(twoDays), context)).statusCode).toBe(200);
  });
});

describe('GET /agents on the gateway Lambda entry', () => {
  const catalogEvent = (authorization?: string) => {
    const e = httpApiEvent({ method: 'GET', path: '/agents' });
    if (authorization) (e.headers as Record<string, string>).authorization = authorization;
    return e;
  };

  it('lists the agents for the principal of the authorizer context', async () => {
    const handler = await coldStart({ AUTH_REVERIFY: 'false' });
    const res = await handler(catalogEvent(`Bearer ${await aliceToken(keys.ec)}`), context);
    expect(res.statusCode, res.body).toBe(200);
    const ids = JSON.parse(res.body).agents.map((a: { id: string }) => a.id);
    expect(ids).toContain('echo');
  });

  it('answers 401 without an authorizer context', async () => {
    const handler = await coldStart({ AUTH_REVERIFY: 'false' });
    const e = catalogEvent();
    delete (e.requestContext as { authorizer?: unknown }).authorizer;
    expect((await handler(e, context)).statusCode).toBe(401);
  });
});
