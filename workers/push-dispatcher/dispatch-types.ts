/** What a push dispatch (deliver-pushes.ts, drain-config.ts) is given and what it reports. */
import type { Clock } from '../../core/ports/clock';
import type { Logger } from '../../core/ports/logger';
import type { PushDeliveryCursors, PushDispatchReads, PushLeases } from '../../core/ports/push-config-store';
import type { PushSender } from '../../core/ports/push-sender';
import type { TaskReader } from '../../core/ports/task-records';

/** The task store roles a dispatcher uses: the task and its log, its configs' cursors and leases. */
export type PushDispatchStore = Pick<TaskReader, 'readEvents'> &
  PushDispatchReads &
  PushDeliveryCursors &
  PushLeases;

export interface PushDispatchDeps {
  store: PushDispatchStore;
  sender: PushSender;
  clock: Clock;
  logger: Logger;
  settings: {
    /** consecutive permanent failures that suspend a config */
    suspendAfter: number;
    /** how long a dispatcher may hold a config (longer than a run of deliveries) */
    leaseMs: number;
    /** events read per page */
    pageSize?: number;
  };
  /** names this dispatcher's leases */
  dispatcherId: string;
}

export interface DispatchOutcome {
  delivered: number;
  failed: number;
  /** some config hit a retryable failure: try again with backoff */
  retry: boolean;
  /**
   * Another dispatcher holds some config. Its release sees this run's knock and looks at the log
   * again, so the retry is only for a holder that died: it comes when that lease could have ended.
   */
  busy: boolean;
  /** this run stopped with work left (knocked in its last round): try again soon */
  more: boolean;
}
