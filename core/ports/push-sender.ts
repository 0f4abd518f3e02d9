/** PushSender: one signed webhook POST. Implemented by adapters/push/webhook-push-sender.ts. */
import type { TaskPushNotificationConfig } from '../a2a/types';

export interface PushDelivery {
  config: TaskPushNotificationConfig;
  taskId: string;
  seq: number;
  /** the exact bytes to send and sign */
  body: Buffer;
  traceparent?: string;
}

export type PushSendResult =
  | { ok: true; status: number; latencyMs: number }
  | { ok: false; retryable: boolean; reason: string; status?: number };

export interface PushSender {
  send(delivery: PushDelivery): Promise<PushSendResult>;
}
