/**
 * The memory store's queued-work count, like DynamoDB's GSI5: per tenant, the ids of its
 * SUBMITTED tasks (not those answered directly), kept in step with every write instead of
 * counted by a scan.
 */
import { TaskState } from '../../core/a2a/task-state';
import type { TaskRecord } from '../../core/task-record';

export class QueuedTasks {
  private readonly byTenant = new Map<string, Set<string>>();

  /** Records the task as the write left it: in the count while SUBMITTED, out of it after. */
  track(task: TaskRecord): void {
    let ids = this.byTenant.get(task.tenant);
    if (task.status.state === TaskState.Submitted && task.directReply === undefined) {
      if (!ids) {
        ids = new Set();
        this.byTenant.set(task.tenant, ids);
      }
      ids.add(task.id);
    } else if (ids?.delete(task.id) && ids.size === 0) {
      this.byTenant.delete(task.tenant);
    }
  }

  count(tenant: string, limit: number): number {
    return Math.min(this.byTenant.get(tenant)?.size ?? 0, limit);
  }
}
