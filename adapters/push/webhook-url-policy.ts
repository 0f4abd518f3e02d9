/**
 * The core WebhookUrlPolicy port on the shared outbound URL check (net/outbound-url.ts).
 */
import { InvalidParamsError } from '../../core/errors';
import type { WebhookUrlPolicy } from '../../core/ports/webhook-url-policy';
import {
  checkOutboundUrl,
  type Resolver,
  type SsrfPolicy,
  systemResolver,
  WebhookHostUnresolvableError,
  WebhookUrlRefusedError,
} from '../net/outbound-url';

/**
 * The core WebhookUrlPolicy port, run at registration: refusals become InvalidParamsError
 * (-32602) on `field`. A name that does not resolve right now is accepted: no answer is no
 * evidence of an internal address (the receiver's DNS may not exist yet, or the resolver
 * hiccuped), and every delivery vets the addresses it connects to again.
 */
export function createWebhookUrlPolicy(
  policy: SsrfPolicy,
  resolver: Resolver = systemResolver,
): WebhookUrlPolicy {
  return {
    async assertAllowed(url, field) {
      try {
        await checkOutboundUrl(url, policy, resolver);
      } catch (err) {
        if (err instanceof WebhookHostUnresolvableError) return;
        const description = err instanceof WebhookUrlRefusedError ? err.reason : undefined;
        if (description === undefined) throw err;
        throw new InvalidParamsError(`Push notification URL refused: ${description}`, [
          { field, description },
        ]);
      }
    },
  };
}
