/**
 * PushSender over HTTP: signs the exact body bytes (X-A2A-Signature), adds the config's
 * Authorization and 0.3 token headers, and POSTs through the SSRF-safe webhook client, keeping
 * connections alive per webhook origin and vetted address (net/pinned-agents.ts).
 */
import type { PushDelivery, PushSender, PushSendResult } from '../../core/ports/push-sender';
import type { Resolver, SsrfPolicy } from '../net/outbound-url';
import { PinnedAgentPool } from '../net/pinned-agents';
import { PUSH_SIGNATURE_HEADER, type PushSigner } from './push-signer';
import { postWebhook, WebhookDeliveryError } from './webhook-client';

export interface WebhookPushSenderOptions {
  signer: PushSigner;
  policy: SsrfPolicy;
  resolver?: Resolver;
  timeoutMs?: number;
  /** keep-alive connections, per origin and vetted address set; default: a pool of this sender's own */
  agents?: PinnedAgentPool;
}

export const PUSH_CONTENT_TYPE = 'application/a2a+json';
export const NOTIFICATION_TOKEN_HEADER = 'X-A2A-Notification-Token';

export function createWebhookPushSender(o: WebhookPushSenderOptions): PushSender {
  const agents = o.agents ?? new PinnedAgentPool();
  return {
    async send(d: PushDelivery): Promise<PushSendResult> {
      const { config } = d;
      const signed = await o.signer.sign({ url: config.url, taskId: d.taskId, seq: d.seq, body: d.body });
      const headers: Record<string, string> = {
        'content-type': PUSH_CONTENT_TYPE,
        [PUSH_SIGNATURE_HEADER]: signed.token,
      };
      if (config.authentication) {
        const { scheme, credentials } = config.authentication;
        headers.authorization = credentials === undefined ? scheme : `${scheme} ${credentials}`;
      }
      if (config.token !== undefined) headers[NOTIFICATION_TOKEN_HEADER] = config.token;
      if (d.traceparent) headers.traceparent = d.traceparent;
      try {
        const res = await postWebhook({
          url: config.url,
          headers,
          body: d.body,
          policy: o.policy,
          agents,
          ...(o.resolver ? { resolver: o.resolver } : {}),
          ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}),
        });
        return { ok: true, status: res.status, latencyMs: res.latencyMs };
      } catch (err) {
        if (err instanceof WebhookDeliveryError) {
          return {
            ok: false,
            retryable: err.retryable,
            reason: err.reason,
            ...(err.status === undefined ? {} : { status: err.status }),
          };
        }
        throw err;
      }
    },
  };
}
