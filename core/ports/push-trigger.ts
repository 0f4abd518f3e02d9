/**
 * PushTrigger: tells the push dispatcher that a task's event log moved (or a config was added).
 * The dispatcher reads the log from each config's cursor, so a trigger carries no event data and
 * a duplicate trigger is harmless.
 */
import type { RequestContext } from '../context';

export interface PushTrigger {
  taskChanged(ctx: RequestContext, taskId: string): Promise<void>;
}
