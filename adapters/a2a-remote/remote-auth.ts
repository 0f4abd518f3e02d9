/**
 * How the gateway authenticates toward a remote agent (config `auth`):
 * - none;
 * - bearer: `Authorization: Bearer <secret>`;
 * - oauth2: the client credentials grant (RFC 6749 §4.4) at `tokenUrl`, the client authenticated
 *   with HTTP Basic; the access token is cached until shortly before it expires, fetched once at a
 *   time, and refreshed once when the agent answers 401.
 * The token endpoint is called through the same guarded fetch (SSRF guard, timeouts, size cap).
 * A remote that refuses the credentials (401/403 after a refresh) is RemoteAgentRefusedError.
 * Credentials go only to the origins the operator configured (withRemoteAuth).
 */
import secureJson from 'secure-json-parse';
import type { Clock } from '../../core/ports/clock';
import {
  RemoteAgentMisconfiguredError,
  RemoteAgentRefusedError,
  RemoteAgentUnavailableError,
} from '../../core/ports/remote-agent-client';
import type { RemoteAuthConfig } from '../../core/remote-agents';
import type { SecretSource } from './secret-source';

export interface RemoteAuth {
  headers(signal?: AbortSignal): Promise<Record<string, string>>;
  /** forget a cached token (the agent answered 401); false when there is nothing to refresh */
  invalidate(): boolean;
}

export interface RemoteAuthDeps {
  secrets: SecretSource;
  /** the guarded fetch */
  fetch: typeof fetch;
  clock: Clock;
}

/** A token is used until this long before its expiry. */
const EXPIRY_MARGIN_MS = 30_000;
const DEFAULT_EXPIRES_IN_SECONDS = 300;

export function remoteAuth(config: RemoteAuthConfig | undefined, deps: RemoteAuthDeps): RemoteAuth {
  switch (config?.type) {
    case undefined:
    case 'none':
      return { headers: async () => ({}), invalidate: () => false };
    case 'bearer':
      return {
        headers: async () => ({ authorization: `Bearer ${await deps.secrets.get(config.secretId)}` }),
        invalidate: () => false,
      };
    case 'oauth2':
      return clientCredentials(config, deps);
  }
}

function clientCredentials(
  config: Extract<RemoteAuthConfig, { type: 'oauth2' }>,
  deps: RemoteAuthDeps,
): RemoteAuth {
  let cached: { token: string; until: number } | undefined;
  let pending: Promise<string> | undefined;
  const fetchToken = async (signal?: AbortSignal): Promise<string> => {
    const secret = await deps.secrets.get(config.secretId);
    const basic = Buffer.from(`${formEncode(config.clientId)}:${formEncode(secret)}`).toString('base64');
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (config.scopes && config.scopes.length > 0) form.set('scope', config.scopes.join(' '));
    const res = await deps.fetch(config.tokenUrl, {
      method: 'POST',
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: form.toString(),
      ...(signal ? { signal } : {}),
    });
    if (res.status === 401 || res.status === 403 || res.status === 400) {
      throw new RemoteAgentRefusedError(
        `its token endpoint refused the client credentials (HTTP ${res.status})`,
      );
    }
    if (!res.ok) throw new RemoteAgentUnavailableError(`its token endpoint answered HTTP ${res.status}`);
    const body = parseToken(await res.text());
    const expiresIn = body.expiresIn ?? DEFAULT_EXPIRES_IN_SECONDS;
    cached = {
      token: body.token,
      until: deps.clock.now() + Math.max(0, expiresIn * 1000 - EXPIRY_MARGIN_MS),
    };
    return body.token;
  };
  return {
    async headers(signal) {
      if (cached && cached.until > deps.clock.now()) return { authorization: `Bearer ${cached.token}` };
      pending ??= fetchToken(signal).finally(() => {
        pending = undefined;
      });
      return { authorization: `Bearer ${await pending}` };
    },
    invalidate() {
      cached = undefined;
      return true;
    },
  };
}

function parseToken(text: string): { token: string; expiresIn?: number } {
  let body: unknown;
  try {
    body = secureJson.parse(text);
  } catch {
    throw new RemoteAgentRefusedError('its token endpoint answered with something other than JSON');
  }
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const token = b.access_token;
  if (typeof token !== 'string' || token === '' || token.length > 8192 || /[\r\n]/.test(token)) {
    throw new RemoteAgentRefusedError('its token endpoint answered without a usable access_token');
  }
  if (typeof b.token_type === 'string' && b.token_type.toLowerCase() !== 'bearer') {
    throw new RemoteAgentRefusedError(
      `its token endpoint issued a ${b.token_type.slice(0, 32)} token, not Bearer`,
    );
  }
  const expiresIn = typeof b.expires_in === 'number' && b.expires_in > 0 ? b.expires_in : undefined;
  return expiresIn === undefined ? { token } : { token, expiresIn };
}

function originOf(input: Parameters<typeof fetch>[0]): string | undefined {
  const raw = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  return URL.canParse(raw) ? new URL(raw).origin : undefined;
}

/** RFC 6749 §2.3.1: client id and secret are form-encoded before Basic. */
const formEncode = (s: string): string => new URLSearchParams({ s }).toString().slice(2);

/**
 * Adds the credentials to every request, and only to requests for `origins` (the operator's: the
 * card URL's and the configured allowedOrigins; the card's own URLs decide nothing): a request for
 * any other origin is not sent, and fails with RemoteAgentMisconfiguredError. A 401 with a
 * refreshable token is retried once with a fresh one; a 401/403 that stays is
 * RemoteAgentRefusedError.
 */
export function withRemoteAuth(
  fetchImpl: typeof fetch,
  auth: RemoteAuth,
  origins: readonly string[],
): typeof fetch {
  return async (input, init) => {
    const target = originOf(input);
    if (target === undefined || !origins.includes(target)) {
      throw new RemoteAgentMisconfiguredError(
        'origin',
        `its card points at ${target ?? 'an unreadable URL'}, outside its configured origins (${origins.join(', ')}); the credentials were not sent`,
      );
    }
    const attempt = async (): Promise<Response> => {
      const headers = new Headers(init?.headers);
      for (const [k, v] of Object.entries(await auth.headers(init?.signal ?? undefined))) headers.set(k, v);
      return fetchImpl(input, { ...init, headers });
    };
    let res = await attempt();
    if (res.status === 401 && auth.invalidate()) {
      await res.body?.cancel();
      res = await attempt();
    }
    if (res.status === 401 || res.status === 403) {
      await res.body?.cancel();
      throw new RemoteAgentRefusedError(`refused the gateway's credentials (HTTP ${res.status})`);
    }
    return res;
  };
}
