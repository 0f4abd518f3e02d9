/**
 * Plan checks of terraform-plan.test.ts for the HTTP API routes and the streaming function URL
 * (kept here so the test file stays short).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { LAMBDA_ENTRIES } from '../../../deploy/lambda-entries';
import { expectedRoutes, matchingRoute, PATH_PART } from './a2a-routes';
import { createdResources, type PlanJson, planned } from './tf-json';

export function describeHttpApiPlan(entries: () => Promise<PlanJson>): void {
  describe('the HTTP API routes', () => {
    let p: PlanJson;
    beforeAll(async () => {
      p = await entries();
    }, 120_000);

    it('routes A2A calls through the cached REQUEST authorizer and leaves cards, JWKS and health public', () => {
      const routes = createdResources(p).filter((r) => r.type === 'aws_apigatewayv2_route');
      const byKey = Object.fromEntries(
        routes.map((r) => [String(r.change.after?.route_key), r.change.after?.authorization_type]),
      );
      expect(byKey).toEqual(expectedRoutes());
      for (const r of routes) {
        // a CUSTOM route names the authorizer (known after apply); a public one names none
        const custom = r.change.after?.authorization_type === 'CUSTOM';
        expect(r.change.after_unknown?.authorizer_id ?? false, String(r.change.after?.route_key)).toBe(
          custom,
        );
      }
      expect(planned(p, 'module.http_api.aws_apigatewayv2_authorizer.jwt')).toMatchObject({
        authorizer_type: 'REQUEST',
        authorizer_payload_format_version: '2.0',
        enable_simple_responses: true,
        identity_sources: ['$request.header.Authorization'],
        authorizer_result_ttl_in_seconds: 300,
      });
      expect(planned(p, 'module.http_api.aws_apigatewayv2_integration.gateway')).toMatchObject({
        integration_type: 'AWS_PROXY',
        payload_format_version: '2.0',
      });
    });

    it('routes every A2A HTTP+JSON operation, at the root and under /agents/{agentId}, with keys API Gateway accepts and no catch-all', () => {
      const keys = createdResources(p)
        .filter((r) => r.type === 'aws_apigatewayv2_route')
        .map((r) => String(r.change.after?.route_key));
      for (const key of keys) {
        expect(
          key
            .split(' ')[1]
            ?.split('/')
            .slice(1)
            .filter(Boolean)
            .every((part) => PATH_PART.test(part)),
          key,
        ).toBe(true);
        expect(key).not.toMatch(/\$default|\+\}|^ANY /);
      }
      const custom = new Set(
        Object.entries(expectedRoutes())
          .filter(([, a]) => a === 'CUSTOM')
          .map(([k]) => k),
      );
      for (const base of ['', '/agents/weather']) {
        for (const [method, path] of [
          ['POST', '/message:send'],
          ['POST', '/message:stream'],
          ['GET', '/tasks'],
          ['GET', '/tasks/t-1'],
          ['POST', '/tasks/t-1:cancel'],
          ['POST', '/tasks/t-1:subscribe'],
          ['GET', '/tasks/t-1:subscribe'],
          ['POST', '/tasks/t-1/pushNotificationConfigs'],
          ['GET', '/tasks/t-1/pushNotificationConfigs'],
          ['GET', '/tasks/t-1/pushNotificationConfigs/c-1'],
          ['DELETE', '/tasks/t-1/pushNotificationConfigs/c-1'],
          ['GET', '/extendedAgentCard'],
        ] as const) {
          const route = matchingRoute(method, `${base}${path}`, keys);
          expect(route && custom.has(route), `${method} ${base}${path} -> ${route}`).toBe(true);
        }
      }
      expect(matchingRoute('PUT', '/tasks/t-1', keys)).toBeUndefined();
      expect(matchingRoute('GET', '/debug/tasks/t-1', keys)).toBeUndefined();
    });
  });
}

export function describeStreamingPlan(
  streamUrl: () => Promise<PlanJson>,
  noStreaming: () => Promise<PlanJson>,
): void {
  describe('the streaming function URL', () => {
    let p: PlanJson;
    beforeAll(async () => {
      p = await streamUrl();
    }, 120_000);
    const stream = LAMBDA_ENTRIES.find((e) => e.trigger.type === 'function-url');

    it('deploys the streaming gateway behind a public function URL with response streaming', () => {
      expect(stream?.entry).toBe('gateway/lambda/stream-lambda.ts');
      const name = stream?.name ?? '';
      expect(planned(p, `module.stream_url["${name}"].aws_lambda_function_url.this`)).toMatchObject({
        function_name: `a2a-gateway-${name}`,
        authorization_type: 'NONE',
        invoke_mode: 'RESPONSE_STREAM',
      });
      expect(p.output_changes?.streaming_url?.after_unknown).toBe(true);
    });

    it('grants "*" the URL, and InvokeFunction only for calls through the URL (InvokedViaFunctionUrl)', () => {
      const name = stream?.name ?? '';
      // authorization_type NONE: the provider adds lambda:InvokeFunctionUrl for "*" with the
      // FunctionUrlAuthType condition itself (statement FunctionURLAllowPublicAccess)
      expect(planned(p, `module.stream_url["${name}"].aws_lambda_function_url.this`).authorization_type).toBe(
        'NONE',
      );
      const stack = planned(p, `module.stream_url["${name}"].aws_cloudformation_stack.invoke_via_url`);
      const template = JSON.parse(String(stack.template_body)) as { Resources: Record<string, unknown> };
      expect(Object.values(template.Resources)).toEqual([
        {
          Type: 'AWS::Lambda::Permission',
          Properties: {
            Action: 'lambda:InvokeFunction',
            FunctionName: `a2a-gateway-${name}`,
            Principal: '*',
            InvokedViaFunctionUrl: true,
          },
        },
      ]);
      // every other permission names a service principal and the API it comes from
      for (const r of createdResources(p).filter((r) => r.type === 'aws_lambda_permission')) {
        expect(r.change.after?.principal, r.address).toBe('apigateway.amazonaws.com');
        expect(r.change.after_unknown?.source_arn, r.address).toBe(true);
      }
    });

    it('deploys no public function URL with streaming.enabled = false, and the gateway gets no STREAMING_URL (cards: streaming: false)', async () => {
      const off = await noStreaming();
      const types = createdResources(off).map((r) => r.type);
      expect(types).not.toContain('aws_lambda_function_url');
      expect(types).not.toContain('aws_cloudformation_stack');
      const env = off.planned_values?.outputs?.function_env_names?.value as Record<string, string[]>;
      expect(Object.keys(env)).not.toContain(stream?.name);
      expect(env.gateway).not.toContain('STREAMING_URL');
      expect(off.planned_values?.outputs?.streaming_url?.value ?? null).toBeNull();
    }, 120_000);

    it('gives the gateway the function URL as STREAMING_URL (the cards say streaming: true), never the streaming function itself', () => {
      const env = p.planned_values?.outputs?.function_env_names?.value as Record<string, string[]>;
      expect(env.gateway).toContain('STREAMING_URL');
      expect(env[stream?.name ?? '']).not.toContain('STREAMING_URL');
    });
  });
}
