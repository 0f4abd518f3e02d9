/**
 * Checks of moto-apply.test.ts for the HTTP API and the streaming function URL, read back through
 * moto's APIs after `terraform apply` (kept here so the test file stays short).
 */
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../adapters/logging/logger';
import { LAMBDA_ENTRIES } from '../../../deploy/lambda-entries';
import { loadGatewayConfig } from '../../../gateway/config';
import { awsGatewayDeps } from '../../../gateway/lambda/wiring';
import { expectedRoutes } from './a2a-routes';
import { httpApiItems, type MotoHttpApi, type MotoRoute, motoJson } from './moto-rest';
import { fnAddress, type StateJson, stateResource, str } from './tf-json';

export interface AppliedStack {
  endpoint: string;
  prefix: string;
  state: () => StateJson;
}

const envOf = (state: StateJson, name: string): Record<string, string> =>
  (
    stateResource(state, fnAddress(name, 'aws_lambda_function.this')).environment as {
      variables?: Record<string, string>;
    }[]
  )[0]?.variables ?? {};

/** moto 5.1.1 has no GetAuthorizers (list): the id comes from the state. */
const authorizerId = (stack: AppliedStack): string =>
  str(stateResource(stack.state(), 'module.http_api.aws_apigatewayv2_authorizer.jwt'), 'id');

export function describeHttpApiOnMoto(stack: AppliedStack): void {
  describe('the HTTP API on moto', () => {
    const api = async (): Promise<MotoHttpApi> => {
      const { items } = await motoJson<{ items: MotoHttpApi[] }>(stack.endpoint, 'apigateway', '/v2/apis');
      const found = items.find((a) => a.name === stack.prefix);
      if (!found) throw new Error(`no HTTP API named ${stack.prefix}`);
      return found;
    };

    it('creates the API, its $default stage and one Lambda proxy integration to the gateway', async () => {
      const { apiId, protocolType } = await api();
      expect(protocolType).toBe('HTTP');
      const stages = await httpApiItems<{ stageName: string; autoDeploy?: boolean }>(
        stack.endpoint,
        apiId,
        'stages',
      );
      expect(stages.map((s) => [s.stageName, s.autoDeploy])).toEqual([['$default', true]]);
      const integrations = await httpApiItems<Record<string, unknown>>(stack.endpoint, apiId, 'integrations');
      const gatewayArn = str(
        stateResource(stack.state(), fnAddress('gateway', 'aws_lambda_function.this')),
        'arn',
      );
      expect(integrations).toHaveLength(1);
      expect(integrations[0]).toMatchObject({ integrationType: 'AWS_PROXY', payloadFormatVersion: '2.0' });
      expect(String(integrations[0]?.integrationUri)).toContain(gatewayArn);
    });

    it('creates the REQUEST authorizer on the authorizer function (simple responses, keyed on Authorization)', async () => {
      const { apiId } = await api();
      const authorizer = await motoJson<Record<string, unknown>>(
        stack.endpoint,
        'apigateway',
        `/v2/apis/${apiId}/authorizers/${authorizerId(stack)}`,
      );
      const authorizerArn = str(
        stateResource(stack.state(), fnAddress('authorizer', 'aws_lambda_function.this')),
        'arn',
      );
      expect(authorizer).toMatchObject({
        authorizerType: 'REQUEST',
        authorizerPayloadFormatVersion: '2.0',
        enableSimpleResponses: true,
        identitySource: ['$request.header.Authorization'],
      });
      expect(String(authorizer.authorizerUri)).toContain(authorizerArn);
    });

    it('creates every route, each A2A route behind that authorizer and every route on the gateway integration', async () => {
      const { apiId } = await api();
      const [integration] = await httpApiItems<{ integrationId: string }>(
        stack.endpoint,
        apiId,
        'integrations',
      );
      const routes = await httpApiItems<MotoRoute>(stack.endpoint, apiId, 'routes');
      expect(Object.fromEntries(routes.map((r) => [r.routeKey, r.authorizationType]))).toEqual(
        expectedRoutes(),
      );
      for (const r of routes) {
        expect(r.target, r.routeKey).toBe(`integrations/${integration?.integrationId}`);
        expect(r.authorizerId ?? null, r.routeKey).toBe(
          r.authorizationType === 'CUSTOM' ? authorizerId(stack) : null,
        );
      }
    });
  });
}

interface PolicyStatement {
  Principal?: unknown;
  Action?: string;
  Condition?: Record<string, Record<string, string>>;
  /** moto keeps AddPermission's and CloudFormation's parameters as they came, beside Condition */
  FunctionUrlAuthType?: string;
  InvokedViaFunctionUrl?: boolean | string;
}

/** A statement as AWS writes it (Condition keys) or as moto stores it (the request's parameters). */
function grantOf(s: PolicyStatement) {
  return {
    principal: s.Principal,
    action: s.Action,
    urlAuthType: s.Condition?.StringEquals?.['lambda:FunctionUrlAuthType'] ?? s.FunctionUrlAuthType,
    viaUrl: String(s.Condition?.Bool?.['lambda:InvokedViaFunctionUrl'] ?? s.InvokedViaFunctionUrl),
  };
}

export function describeStreamingOnMoto(stack: AppliedStack): void {
  const stream = LAMBDA_ENTRIES.find((e) => e.trigger.type === 'function-url');
  const name = stream?.name ?? 'none';
  const functionName = (): string =>
    str(stateResource(stack.state(), fnAddress(name, 'aws_lambda_function.this')), 'function_name');
  const streamingUrl = (): string => String(stack.state().values?.outputs?.streaming_url?.value);

  describe('the streaming function URL on moto', () => {
    it('serves the streaming gateway from a public URL with response streaming, output as streaming_url', async () => {
      const url = await motoJson<Record<string, string>>(
        stack.endpoint,
        'lambda',
        `/2021-10-31/functions/${functionName()}/url`,
      );
      expect([url.AuthType, url.InvokeMode]).toEqual(['NONE', 'RESPONSE_STREAM']);
      expect(streamingUrl()).toBe(String(url.FunctionUrl).replace(/\/$/, ''));
    });

    it('lets "*" call the URL and invoke the function only through it: no other statement', async () => {
      const { Policy } = await motoJson<{ Policy: string }>(
        stack.endpoint,
        'lambda',
        `/2015-03-31/functions/${functionName()}/policy`,
      );
      const grants = (JSON.parse(Policy) as { Statement: PolicyStatement[] }).Statement.map(grantOf);
      expect(grants, Policy).toHaveLength(2);
      expect(grants).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            principal: '*',
            action: 'lambda:InvokeFunctionUrl',
            urlAuthType: 'NONE',
          }),
          expect.objectContaining({ principal: '*', action: 'lambda:InvokeFunction', viaUrl: 'true' }),
        ]),
      );
    });

    it("puts the URL in the gateway's STREAMING_URL, so its cards advertise it with streaming: true", () => {
      const env = envOf(stack.state(), 'gateway');
      expect(env.STREAMING_URL).toBe(streamingUrl());
      const config = loadGatewayConfig({ ...env, AWS_REGION: 'us-east-1' });
      const { cards } = awsGatewayDeps(config, createLogger({ service: 'test', level: 'silent' }));
      expect(cards).toMatchObject({ streaming: true, interfaceUrl: streamingUrl() });
      expect(envOf(stack.state(), name)).not.toHaveProperty('STREAMING_URL');
    });
  });
}
