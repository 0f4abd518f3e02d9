/**
 * Registration-time webhook URL check used until the SSRF guard is wired in: https only, http
 * just for allowlisted hosts, no credentials in the URL.
 */
import { InvalidParamsError } from '../core/errors';
import type { WebhookUrlPolicy } from '../core/ports/webhook-url-policy';

export function httpsOnlyWebhookPolicy(allowHttpHosts: readonly string[]): WebhookUrlPolicy {
  const allowed = new Set(allowHttpHosts.map((h) => h.toLowerCase()));
  return {
    async assertAllowed(url, field) {
      const refuse = (why: string) => {
        throw new InvalidParamsError(`Invalid ${field}: ${why}`, [{ field, description: why }]);
      };
      if (!URL.canParse(url)) return refuse('not a URL');
      const u = new URL(url);
      if (u.username || u.password) return refuse('credentials in the URL are not allowed');
      if (u.protocol === 'https:') return;
      if (u.protocol === 'http:' && allowed.has(u.hostname.toLowerCase())) return;
      refuse('webhooks must use https');
    },
  };
}
