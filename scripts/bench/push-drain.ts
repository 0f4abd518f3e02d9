/**
 * The push dispatcher alone: `tasks` finished tasks (4 events each, one push config to a loopback
 * receiver) are written to a memory store while the dispatcher is stopped, so their triggers wait
 * in the push queue; then the local stack's dispatcher (local/local-push.ts: 2 pollers, batches
 * of 5, the real signer and webhook client) starts and the backlog is timed until every event
 * has arrived. No gateway and no agent share the process's CPU with it here.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { MemoryTaskStore } from '../../adapters/memory/memory-task-store';
import { withPushTrigger } from '../../adapters/push/push-trigger';
import { TaskState } from '../../core/a2a/task-state';
import { systemContext } from '../../core/context';
import { silentLogger } from '../../core/ports/logger';
import type { TaskStore } from '../../core/ports/task-store';
import { applyEvents, type StoredEvent, type TaskRecord } from '../../core/task-record';
import { createLocalPush } from '../../local/local-push';
import { until } from './bench-types';
import { startTimingReceiver } from './timing-receiver';

export interface PushDrain {
  delivered: number;
  expected: number;
  /** dispatcher start to last arrival */
  seconds: number;
  /** process CPU (user + system) per delivery while draining */
  cpuMicrosPerDelivery: number;
}

export async function drainPushBacklog(tasks: number): Promise<PushDrain> {
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-push-'));
  const receiver = await startTimingReceiver();
  const push = await createLocalPush({
    dataDir,
    logger: pino({ level: 'silent' }),
    pollWaitSeconds: 1,
  });
  const ctx = systemContext('bench', 'bench-push');
  const store = withPushTrigger(new MemoryTaskStore(), push.trigger, silentLogger);
  try {
    for (let i = 0; i < tasks; i++) await finishedTaskWithPush(store, ctx, receiver.url);
    const expected = tasks * 4;
    const cpu0 = process.cpuUsage();
    const started = Date.now();
    push.start(store);
    await until(() => receiver.firstOk.size >= expected, 60_000, 10);
    const cpu = process.cpuUsage(cpu0);
    const last = Math.max(...receiver.firstOk.values());
    const delivered = receiver.firstOk.size;
    return {
      delivered,
      expected,
      seconds: (last - started) / 1000,
      cpuMicrosPerDelivery: (cpu.user + cpu.system) / Math.max(1, delivered),
    };
  } finally {
    await push.stop();
    await receiver.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** A task as the echo agent leaves it: SUBMITTED, WORKING, an artifact, COMPLETED (4 commits). */
async function finishedTaskWithPush(
  store: TaskStore,
  ctx: ReturnType<typeof systemContext>,
  url: string,
): Promise<void> {
  const now = new Date().toISOString();
  const message = { messageId: randomUUID(), role: 'ROLE_USER' as const, parts: [{ text: 'push me' }] };
  const task: TaskRecord = {
    tenant: 'bench',
    id: randomUUID(),
    contextId: randomUUID(),
    agentId: 'echo',
    owner: 'bench',
    status: { state: TaskState.Submitted, timestamp: now },
    artifacts: [],
    history: [message],
    version: 1,
    createdAt: now,
    protocol: '1.0',
    hasPush: true,
  };
  const events: StoredEvent[] = [
    { seq: 1, at: now, event: { kind: 'status', status: task.status, history: [message] } },
  ];
  const config = {
    config: { id: randomUUID(), taskId: task.id, url },
    owner: 'bench',
    protocol: '1.0' as const,
    createdAt: now,
  };
  await store.create(ctx, { task, events, idempotencyKey: message.messageId, pushConfigs: [config] });
  let current = task;
  for (const event of [
    { kind: 'status' as const, status: { state: TaskState.Working, timestamp: now } },
    { kind: 'artifact' as const, artifact: { artifactId: randomUUID(), parts: [{ text: 'push me' }] } },
    { kind: 'status' as const, status: { state: TaskState.Completed, timestamp: now } },
  ]) {
    const { next, stored } = applyEvents(current, [event], now);
    current = await store.commit(ctx, {
      taskId: task.id,
      expectedVersion: current.version,
      next,
      events: stored,
    });
  }
}
