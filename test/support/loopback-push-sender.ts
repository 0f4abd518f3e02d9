/**
 * A real webhook push sender for tests: a fresh ES256 key, the local issuer, plain http allowed to
 * 127.0.0.1 (the receivers of webhook-receivers.ts).
 */

import { afterAll, beforeAll } from 'vitest';
import { createPushSigner, LOCAL_PUSH_ISSUER } from '../../adapters/push/push-signer';
import { generateSigningJwk, signingKeysFromMaterial } from '../../adapters/push/push-signing-keys';
import { createWebhookPushSender } from '../../adapters/push/webhook-push-sender';
import type { PushSender } from '../../core/ports/push-sender';
import { type Receiver, startReceiver } from './webhook-receivers';

export async function loopbackPushSender(timeoutMs = 5_000): Promise<PushSender> {
  const keys = await signingKeysFromMaterial({ current: await generateSigningJwk() });
  return createWebhookPushSender({
    signer: createPushSigner({ issuer: LOCAL_PUSH_ISSUER, keys }),
    policy: { allowHttpHosts: ['127.0.0.1'], allowLoopback: true },
    timeoutMs,
  });
}

/** A loopback receiver and sender for a test file, started before its tests and closed after. */
export function useLoopbackPush(): { readonly receiver: Receiver; readonly sender: PushSender } {
  let receiver: Receiver | undefined;
  let sender: PushSender | undefined;
  beforeAll(async () => {
    receiver = await startReceiver();
    sender = await loopbackPushSender();
  });
  afterAll(() => receiver?.close());
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useLoopbackPush: used before its beforeAll ran');
    return value;
  };
  return {
    get receiver() {
      return started(receiver);
    },
    get sender() {
      return started(sender);
    },
  };
}
