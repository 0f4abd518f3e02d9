import type { InlinePushConfig, TaskPushNotificationConfig } from '../a2a/types';
import type { RequestContext } from '../context';
import { InvalidParamsError, PushNotificationNotSupportedError } from '../errors';
import { isoAt } from '../ports/clock';
import type { StoredPushConfig } from '../ports/task-store';
import type { ProtocolVersion } from '../task-record';
import { headerValueProblem } from '../validation/header-value';
import type { UseCaseDeps } from './deps';

/** Validates a push config (capability, URL policy, header safety) and builds the stored record. */
export async function buildPushConfig(
  deps: Pick<UseCaseDeps, 'settings' | 'webhookUrls' | 'ids' | 'clock'>,
  ctx: RequestContext,
  taskId: string,
  input: InlinePushConfig | TaskPushNotificationConfig,
  protocol: ProtocolVersion,
  field: string,
): Promise<StoredPushConfig> {
  if (!deps.settings.pushNotifications) throw new PushNotificationNotSupportedError();
  await deps.webhookUrls.assertAllowed(input.url, `${field}.url`);
  for (const [name, value] of [
    ['token', input.token],
    ['authentication.credentials', input.authentication?.credentials],
  ] as const) {
    const problem = value === undefined ? undefined : headerValueProblem(value);
    if (problem !== undefined) {
      throw new InvalidParamsError(`Invalid ${field}.${name}: ${problem}`, [
        { field: `${field}.${name}`, description: `sent as an HTTP header value: ${problem}` },
      ]);
    }
  }
  if (input.authentication && !/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(input.authentication.scheme)) {
    throw new InvalidParamsError(`Invalid ${field}.authentication.scheme: not an HTTP auth scheme token`, [
      { field: `${field}.authentication.scheme`, description: 'must be an HTTP authentication scheme token' },
    ]);
  }
  const config: TaskPushNotificationConfig = { id: input.id ?? deps.ids.configId(), taskId, url: input.url };
  if (input.token !== undefined) config.token = input.token;
  if (input.authentication) config.authentication = input.authentication;
  return { config, owner: ctx.principal.subject, protocol, createdAt: isoAt(deps.clock.now()) };
}

/**
 * The config as its reader may see it: credentials, token and the URL's path and query only for
 * the owner (webhook paths often embed a secret, Slack-style); others see the origin. The delivery
 * state (cursor, consecutive failures, last error reason, suspended) rides along as `metadata`,
 * which clients that do not know it ignore.
 */
export function presentPushConfig(
  ctx: RequestContext,
  stored: StoredPushConfig,
): TaskPushNotificationConfig & { metadata?: { delivery: PushDeliveryView } } {
  const { config } = stored;
  const mine = stored.owner === ctx.principal.subject;
  const out: TaskPushNotificationConfig & { metadata?: { delivery: PushDeliveryView } } = mine
    ? { ...config }
    : {
        ...(config.id === undefined ? {} : { id: config.id }),
        taskId: config.taskId,
        url: redactedUrl(config.url),
      };
  if (!mine && config.authentication) {
    out.authentication = { scheme: config.authentication.scheme };
  }
  if (stored.delivery) {
    const { lastDeliveredSeq, consecutiveFailures, lastError, suspended } = stored.delivery;
    const delivery: PushDeliveryView = {
      lastDeliveredSeq,
      consecutiveFailures,
      suspended: suspended === true,
    };
    if (lastError !== undefined) delivery.lastError = lastError;
    out.metadata = { delivery };
  }
  return out;
}

export interface PushDeliveryView {
  lastDeliveredSeq: number;
  consecutiveFailures: number;
  lastError?: string;
  suspended: boolean;
}

/**
 * What other subjects see of a webhook URL: its origin and `/…` (the path and query can embed a
 * secret). Registered URLs have no userinfo, so the origin holds nothing secret.
 */
export function redactedUrl(url: string): string {
  try {
    return `${new URL(url).origin}/…`;
  } catch {
    return '…';
  }
}
