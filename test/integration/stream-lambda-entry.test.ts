/**
 * The deployed wiring of the streaming path: gateway/lambda/stream-lambda.ts loaded with the Lambda env
 * (DynamoDB Local, SQS on moto, JWT verified in the function against a JWKS URL) under a fake
 * `awslambda` runtime, and the HTTP API gateway Lambda's card advertising what is deployed.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureTable } from '../../adapters/dynamo/table-schema';
import { createEphemeralDevIssuer, type DevIssuer } from '../../authorizer/dev-issuer';
import type { FunctionUrlEvent, StreamingHandler } from '../../gateway/lambda/lambda-stream-types';
import { type JwksServer, startJwksServer } from '../support/jwks-server';
import { FakeResponseStream, fakeHttpResponseStream } from '../support/lambda-response-stream';
import { awsTestEnv, lambdaEmulatorEnv } from '../support/moto';
import { envelopes, parseSse } from '../support/sse';

const STREAMING_URL = 'https://abc123.lambda-url.eu-west-1.on.aws';
let issuer: DevIssuer;
let jwks: JwksServer;
let streaming: StreamingHandler;
let httpApi: (event: unknown, context: unknown) => Promise<unknown>;

beforeAll(async () => {
  issuer = await createEphemeralDevIssuer();
  jwks = await startJwksServer(issuer.jwks);
  const table = `stream-lambda-${Date.now()}`;
  await ensureTable(new DynamoDBClient(awsTestEnv(inject('dynamoEndpoint'))), table);
  const sqs = new SQSClient(awsTestEnv(inject('motoEndpoint')));
  const queue = async (name: string) =>
    (await sqs.send(new CreateQueueCommand({ QueueName: `${name}-${Date.now()}` }))).QueueUrl ?? '';
  Object.assign(process.env, {
    ...lambdaEmulatorEnv({ table, dynamo: inject('dynamoEndpoint'), moto: inject('motoEndpoint') }),
    WORK_QUEUE_URL: await queue('work'),
    PUSH_QUEUE_URL: await queue('push'),
    PUSH_SIGNING_SECRET_ID: 'unused-here',
    PUBLIC_BASE_URL: 'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com',
    STREAMING_URL,
    AUTH_MODE: 'verify',
    AUTH_ISSUER: issuer.issuer,
    AUTH_AUDIENCE: issuer.audience,
    AUTH_JWKS_URL: jwks.url,
    AUTH_ALGORITHMS: 'ES256',
    STREAM_MAX_DURATION_MS: '300',
    STREAM_DIRECT_REPLY_WAIT_MS: '0',
  });
  (globalThis as { awslambda?: unknown }).awslambda = {
    streamifyResponse: (handler: StreamingHandler) => handler,
    HttpResponseStream: fakeHttpResponseStream,
  };
  streaming = (await import('../../gateway/lambda/stream-lambda')).handler as StreamingHandler;
  httpApi = (await import('../../gateway/lambda/lambda')).handler as typeof httpApi;
});
afterAll(async () => {
  await jwks?.close();
  delete (globalThis as { awslambda?: unknown }).awslambda;
});

async function invoke(body: unknown, headers: Record<string, string>) {
  const event: FunctionUrlEvent = {
    rawPath: '/agents/conformance',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    requestContext: { http: { method: 'POST' } },
  };
  const stream = new FakeResponseStream();
  await streaming(event, stream, { awsRequestId: 'aws-req' });
  return stream.wire();
}

describe('the streaming Lambda as deployed', () => {
  it('verifies the JWT itself and streams the created task, ending at the maximum duration', async () => {
    const token = await issuer.mint({ tenant: 'acme', scopes: ['tasks:submit', 'tasks:read'] });
    const message = { messageId: `m-${Date.now()}`, role: 'ROLE_USER', parts: [{ text: 'hi' }] };
    const wire = await invoke(
      { jsonrpc: '2.0', id: 7, method: 'SendStreamingMessage', params: { message } },
      { authorization: `Bearer ${token}`, 'a2a-version': '1.0' },
    );
    expect(wire.prelude?.headers?.['content-type']).toMatch(/^text\/event-stream/);
    const [first] = envelopes(parseSse(wire.body));
    expect(first).toMatchObject({ id: 7, result: { task: { status: { state: 'TASK_STATE_SUBMITTED' } } } });
    const legacy = await invoke(
      { jsonrpc: '2.0', id: 8, method: 'tasks/get', params: { id: 'missing' } },
      { authorization: `Bearer ${token}` },
    );
    expect(JSON.parse(legacy.body).error.code).toBe(-32001);
  });

  it('answers 401 without a token (a function URL has no authorizer in front)', async () => {
    const wire = await invoke({ jsonrpc: '2.0', id: 1, method: 'GetTask', params: { id: 'x' } }, {});
    expect(wire.prelude?.statusCode).toBe(401);
  });

  it('has the HTTP API gateway advertise the streaming function URL and streaming: true', async () => {
    const res = (await httpApi(
      {
        version: '2.0',
        routeKey: 'GET /agents/{agentId}/.well-known/agent-card.json',
        rawPath: '/agents/echo/.well-known/agent-card.json',
        rawQueryString: '',
        headers: { host: 'a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com' },
        requestContext: { http: { method: 'GET', path: '/agents/echo/.well-known/agent-card.json' } },
        isBase64Encoded: false,
      },
      { awsRequestId: 'r' },
    )) as { statusCode: number; body: string };
    expect(res.statusCode).toBe(200);
    const card = JSON.parse(res.body);
    expect(card.capabilities.streaming).toBe(true);
    expect(card.supportedInterfaces[0].url).toBe(`${STREAMING_URL}/agents/echo`);
  });
});
