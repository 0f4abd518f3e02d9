/**
 * How the router delegates: through the gateway's own use cases (SendMessage, CancelTask) in the
 * worker, on behalf of whoever sent the router task's latest turn, with that call's scopes (stored
 * on the task as its `submitter`): a sub-task is authorized exactly like the caller's own
 * SendMessage, so `agent:<id>` scopes bind delegations too. A task without a stored submitter
 * delegates nothing (fail closed). A sub-task is a real task of
 * the target agent (queued, run by a worker, readable with GetTask on `/agents/{agent}`), in the
 * router task's context, with `referenceTaskIds: [routerTaskId]`. Message ids derive from the
 * router task and a key (the tool call), so a re-run of the same step sends nothing twice
 * (SendMessage is idempotent on (tenant, messageId)).
 */
import { createHash, randomUUID } from 'node:crypto';
import { isSettled } from '../../../core/a2a/task-state';
import type { Message } from '../../../core/a2a/types';
import type { AgentDescriptor } from '../../../core/agent-catalog';
import type { RequestContext } from '../../../core/context';
import { maySend } from '../../../core/scopes';
import type { TaskRecord } from '../../../core/task-record';
import { cancelTask } from '../../../core/use-cases/cancel-task';
import type { UseCaseDeps } from '../../../core/use-cases/deps';
import { sendMessage } from '../../../core/use-cases/send-message';
import { CONTINUE_MARGIN_MS, RunContinuesLaterError } from '../../agent-worker/run-errors';

export interface Delegator {
  /** the agents it may delegate to (the caller may use them) */
  readonly agents: readonly AgentDescriptor[];
  /** the other agents: the caller's token does not reach them, so the router must say so */
  readonly denied: readonly AgentDescriptor[];
  /** starts a sub-task (or finds the one this key started before) */
  start(agentId: string, text: string, key: string): Promise<TaskRecord>;
  /** answers a sub-task that asked for input */
  reply(task: TaskRecord, text: string, key: string): Promise<TaskRecord>;
  /** waits until the sub-task settles (or the wait ends), and returns it as it is then */
  settle(task: TaskRecord, signal?: AbortSignal): Promise<TaskRecord>;
}

export interface DelegatorOptions {
  useCases: UseCaseDeps;
  /** the router task */
  parent: TaskRecord;
  /** the run's context (tenant, trace) */
  ctx: RequestContext;
  /** every agent the router could delegate to; split by what the submitter may use */
  agents: readonly AgentDescriptor[];
  timeoutMs: number;
  /** the invocation's remaining time: a wait that would outlast it continues in a fresh run */
  timeLeftMs?: () => number;
}

export function createDelegator(o: DelegatorOptions): Delegator {
  const { useCases, parent } = o;
  const submitter = parent.submitter;
  const ctx: RequestContext = {
    principal: {
      tenant: o.ctx.principal.tenant,
      subject: submitter?.subject ?? parent.owner,
      scopes: submitter?.scopes ?? [],
    },
    requestId: randomUUID(),
  };
  const allowed = (a: AgentDescriptor) => submitter !== undefined && maySend(submitter.scopes, a.id);
  if (o.ctx.traceparent) ctx.traceparent = o.ctx.traceparent;
  const send = async (agentId: string, message: Message): Promise<TaskRecord> =>
    (await sendMessage(useCases, ctx, { agentId }, { message }, { protocol: '1.0', returnImmediately: true }))
      .record;
  return {
    agents: o.agents.filter(allowed),
    denied: o.agents.filter((a) => !allowed(a)),
    start: (agentId, text, key) =>
      send(agentId, {
        messageId: messageId(parent.id, `start\u0000${key}`),
        role: 'ROLE_USER',
        parts: [{ text }],
        contextId: parent.contextId,
        referenceTaskIds: [parent.id],
      }),
    reply: (task, text, key) =>
      send(task.agentId, {
        messageId: messageId(parent.id, `reply\u0000${key}`),
        role: 'ROLE_USER',
        parts: [{ text }],
        taskId: task.id,
        contextId: task.contextId,
        referenceTaskIds: [parent.id],
      }),
    async settle(task, signal) {
      const now = useCases.clock.now();
      const deadline = now + o.timeoutMs;
      const handOver = now + (o.timeLeftMs?.() ?? Number.POSITIVE_INFINITY) - CONTINUE_MARGIN_MS;
      let current = task;
      while (!isSettled(current.status.state) && !signal?.aborted) {
        const at = useCases.clock.now();
        if (at >= deadline) break;
        if (at >= handOver) {
          // The re-run of this step starts the same sub-task (same message id) and waits on.
          throw new RunContinuesLaterError(
            1,
            `the invocation ends soon; sub-task ${current.id} is still running`,
          );
        }
        const wait = Math.min(deadline, handOver) - at;
        const seen = await useCases.watcher.waitForChange(ctx, current.id, current.version, wait, signal);
        current = seen ?? (await useCases.store.get(ctx, current.id)) ?? current;
      }
      if (signal?.aborted && !isSettled(current.status.state)) {
        // The router stops (canceled): its sub-task need not run on.
        await cancelTask(useCases, ctx, { agentId: current.agentId }, { id: current.id }).catch(
          () => undefined,
        );
      }
      return current;
    },
  };
}

function messageId(parentTaskId: string, key: string): string {
  const h = createHash('sha256').update(`${parentTaskId}\u0000${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-9${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
