/**
 * Resilience 1b, one fault placed on purpose: the worker process dies right after its final
 * commit (COMPLETED) lands and before that commit's push trigger is sent, while the dispatcher is
 * idle (the echo agent pauses before each event, so earlier events were already delivered). The
 * redelivered work message finds the task settled and does nothing; the reconciler only looks at
 * SUBMITTED/WORKING tasks. This checks whether the last event still reaches the webhook.
 */
import { isTerminal } from '../../core/a2a/task-state';
import type { CommitInput } from '../../core/ports/task-store';
import { startTimingReceiver } from '../bench/timing-receiver';
import type { CrashDecision } from './faults';
import { startResilienceStack } from './resilience-stack';
import { pause, postRpc } from './rpc-client';
import { auditTasks, type TaskAudit } from './task-audit';

export interface LostTriggerReport {
  audit: TaskAudit;
  deaths: string[];
  /** seqs the webhook received (first 2xx each), and the log's */
  delivered: number[];
  logged: number[];
}

/** Dies after the first commit that ends a task. */
function afterFinalCommit(): CrashDecision {
  let fired = false;
  return (method, args) => {
    const input = args[1] as CommitInput | undefined;
    if (fired || method !== 'commit' || !input || !isTerminal(input.next.status.state)) return undefined;
    fired = true;
    return 'after';
  };
}

export async function runLostTriggerScenario(waitMs = 16_000): Promise<LostTriggerReport> {
  const receiver = await startTimingReceiver();
  const stack = await startResilienceStack({
    random: Math.random,
    workers: 1,
    throttle: 0,
    crashes: afterFinalCommit(),
    crashBeforeAck: 0,
    // Longer than the dispatcher's retry of a trigger that found the config busy (the push
    // lease, 2 s here), so no retry of an earlier trigger is still pending when the final commit
    // lands.
    agentDelayMs: 2_500,
    blockingTimeoutMs: 1_000,
    push: true,
  });
  const tenant = 'lost-trigger';
  try {
    const token = await stack.issuer.mint({ tenant, scopes: ['tasks:submit', 'tasks:read'] });
    const answer = await postRpc(`${stack.url}/agents/echo`, token, 'SendMessage', {
      message: { messageId: `lost-trigger-${Date.now()}`, role: 'ROLE_USER', parts: [{ text: 'hi' }] },
      configuration: { returnImmediately: true, taskPushNotificationConfig: { url: receiver.url } },
    });
    const taskId = (answer.body.result?.task as { id?: string } | undefined)?.id;
    if (!taskId) throw new Error(`SendMessage failed: ${JSON.stringify(answer.body)}`);
    // The run takes ~7.5 s; then long enough for the message to come back (visibility 2 s), the
    // lease to run out (1.5 s), the redelivery to be handled and any push retry (1-2 s) to land.
    const end = Date.now() + waitMs;
    const settled = (a: TaskAudit) =>
      a.stuck.length === 0 && (a.push?.delivered ?? 0) >= (a.push?.expected ?? 1);
    let audit = await auditTasks(stack.truth, tenant, [taskId], stack.runs, receiver.arrivals);
    while (Date.now() < end && !settled(audit)) {
      await pause(200);
      audit = await auditTasks(stack.truth, tenant, [taskId], stack.runs, receiver.arrivals);
    }
    const logged = (
      await stack.truth.readEvents(
        { principal: { tenant, subject: 'audit', scopes: [] }, requestId: 'audit' },
        taskId,
        0,
      )
    ).map((e) => e.seq);
    const delivered = [
      ...new Set(receiver.arrivals.filter((a) => a.taskId === taskId && a.status === 200).map((a) => a.seq)),
    ];
    return { audit, deaths: [...stack.fleet.deaths], delivered, logged };
  } finally {
    await stack.stop();
    await receiver.close();
  }
}
