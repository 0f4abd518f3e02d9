/**
 * Metrics by decoration, so the code that does the work stays free of them: the task store
 * counts tasks created and finished (by final state), the push sender counts attempts, failures
 * and latency.
 */
import { isTerminal } from '../../core/a2a/task-state';
import { Metric, type Metrics } from '../../core/ports/metrics';
import type { PushSender } from '../../core/ports/push-sender';
import type { TaskStore } from '../../core/ports/task-store';

export function withTaskMetrics(store: TaskStore, metrics: Metrics): TaskStore {
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'create') {
        return async (...args: Parameters<TaskStore['create']>) => {
          const result = await target.create(...args);
          if (result.created) metrics.count(Metric.TasksCreated, { agent: result.task.agentId });
          return result;
        };
      }
      if (prop === 'commit') {
        return async (...args: Parameters<TaskStore['commit']>) => {
          const next = await target.commit(...args);
          // Terminal tasks are immutable, so a commit into a terminal state happens once per task.
          if (isTerminal(next.status.state)) {
            metrics.count(Metric.TasksFinished, { agent: next.agentId, state: next.status.state });
          }
          return next;
        };
      }
      return Reflect.get(target, prop, receiver);
    },
  });
}

export function withPushMetrics(sender: PushSender, metrics: Metrics): PushSender {
  return {
    async send(delivery) {
      const result = await sender.send(delivery);
      metrics.count(Metric.PushAttempts);
      if (result.ok) metrics.duration(Metric.PushLatency, result.latencyMs);
      else metrics.count(Metric.PushFailures, { reason: result.reason });
      return result;
    },
  };
}
