/**
 * A real webhook push sender for tests: a fresh ES256 key, the local issuer, plain http allowed to
 * 127.0.0.1 (the receivers of webhook-receivers.ts).
 */
import { createPushSigner, LOCAL_PUSH_ISSUER } from '../../adapters/push/push-signer';
import { generateSigningJwk, signingKeysFromMaterial } from '../../adapters/push/push-signing-keys';
import { createWebhookPushSender } from '../../adapters/push/webhook-push-sender';
import type { PushSender } from '../../core/ports/push-sender';

export async function loopbackPushSender(timeoutMs = 5_000): Promise<PushSender> {
  const keys = await signingKeysFromMaterial({ current: await generateSigningJwk() });
  return createWebhookPushSender({
    signer: createPushSigner({ issuer: LOCAL_PUSH_ISSUER, keys }),
    policy: { allowHttpHosts: ['127.0.0.1'], allowLoopback: true },
    timeoutMs,
  });
}
