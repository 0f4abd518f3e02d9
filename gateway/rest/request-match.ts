/**
 * The HTTP+JSON route of a fastify request, matched once: the overload guard, the binding's auth
 * hook and its handler all ask, so the answer is kept per raw request.
 */
import type { IncomingMessage } from 'node:http';
import { matchRestRoute, type RestMatch } from './rest-routes';

const matched = new WeakMap<IncomingMessage, RestMatch>();

export const pathOf = (url: string): string => url.split('?', 1)[0] ?? '/';

export function restMatchOf(request: { method: string; url: string; raw: IncomingMessage }): RestMatch {
  if (matched.has(request.raw)) return matched.get(request.raw);
  const match = matchRestRoute(request.method, pathOf(request.url));
  matched.set(request.raw, match);
  return match;
}
