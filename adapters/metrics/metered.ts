/**
 * Metrics by decoration, so the code that does the work stays free of them: the task store
 * counts tasks created and finished (by final state), the push sender counts attempts, failures
 * and latency.
 */
import { isTerminal } from '../../core/a2a/task-state';
import { Metric, type Metrics } from '../../core/ports/metrics';
import type { PushSender } from '../../core/ports/push-sender';
import type { TaskStore } from '../../core/ports/task-store';
import { overriding } from '../shared/overriding';

export function withTaskMetrics(store: TaskStore, metrics: Metrics): TaskStore {
  return overriding(store, {
    async create(...args: Parameters<TaskStore['create']>) {
      const result = await store.create(...args);
      if (result.created) metrics.count(Metric.TasksCreated, { agent: result.task.agentId });
      return result;
    },
    async commit(...args: Parameters<TaskStore['commit']>) {
      const next = await store.commit(...args);
      // Terminal tasks are immutable, so a commit into a terminal state happens once per task.
      if (isTerminal(next.status.state)) {
        metrics.count(Metric.TasksFinished, { agent: next.agentId, state: next.status.state });
      }
      return next;
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
