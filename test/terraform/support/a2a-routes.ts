/**
 * The HTTP API routes the design asks for, written independently of terraform/modules/http-api:
 * the public routes, and the A2A HTTP+JSON operations (as the spec writes them) under the root
 * (default agent) and /agents/{agentId}, each turned into a route key API Gateway accepts.
 */

export const PUBLIC_ROUTES: Record<string, 'CUSTOM' | 'NONE'> = {
  'POST /': 'CUSTOM',
  'POST /agents/{agentId}': 'CUSTOM',
  'GET /agents': 'CUSTOM',
  'GET /.well-known/agent-card.json': 'NONE',
  'GET /agents/{agentId}/.well-known/agent-card.json': 'NONE',
  'GET /.well-known/jwks.json': 'NONE',
  'GET /health': 'NONE',
};

export const REST_BASES = ['', '/agents/{agentId}'];

export const REST_OPERATIONS = [
  'POST /message:send',
  'POST /message:stream',
  'GET /tasks',
  'GET /tasks/{taskId}',
  'POST /tasks/{taskId}:cancel',
  'POST /tasks/{taskId}:subscribe',
  'GET /tasks/{taskId}:subscribe',
  'POST /tasks/{taskId}/pushNotificationConfigs',
  'GET /tasks/{taskId}/pushNotificationConfigs',
  'GET /tasks/{taskId}/pushNotificationConfigs/{configId}',
  'DELETE /tasks/{taskId}/pushNotificationConfigs/{configId}',
  'GET /extendedAgentCard',
];

/**
 * API Gateway v2 validates each path part against ^(\{[\w.-]+\+?\}|[a-zA-Z0-9._-]+)$: a ':' or a
 * variable inside a segment is refused, so a segment with a custom verb becomes one variable.
 */
export const PATH_PART = /^(\{[\w.-]+\+?\}|[a-zA-Z0-9._-]+)$/;

function segmentOf(segment: string): string {
  if (!segment.includes(':')) return segment;
  const head = segment.slice(0, segment.indexOf(':'));
  return head.startsWith('{') ? head : `{${head}Verb}`;
}

/** `POST /tasks/{taskId}:cancel` under `/agents/{agentId}` -> `POST /agents/{agentId}/tasks/{taskId}` */
export function routeKeyOf(base: string, operation: string): string {
  const [method, path] = operation.split(' ');
  return `${method} ${`${base}${path}`.split('/').map(segmentOf).join('/')}`;
}

/** Every route key with its authorization type. */
export function expectedRoutes(): Record<string, 'CUSTOM' | 'NONE'> {
  const routes = { ...PUBLIC_ROUTES };
  for (const base of REST_BASES) for (const op of REST_OPERATIONS) routes[routeKeyOf(base, op)] = 'CUSTOM';
  return routes;
}

/** The route key that serves a concrete request path, as API Gateway matches it (no greedy keys). */
export function matchingRoute(method: string, path: string, keys: readonly string[]): string | undefined {
  const parts = path.split('/');
  const variables = (key: string): number => key.split('{').length;
  return [...keys]
    .sort((a, b) => variables(a) - variables(b))
    .find((key) => {
      const [m, p = ''] = key.split(' ');
      const k = p.split('/');
      return (
        m === method &&
        k.length === parts.length &&
        k.every((seg, i) => (seg.startsWith('{') ? (parts[i] ?? '') !== '' : seg === parts[i]))
      );
    });
}
