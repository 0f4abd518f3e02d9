/**
 * PushTrigger: tells the push dispatcher that a task's event log moved (or a config was added).
 * The dispatcher reads the log from each config's cursor, so a trigger carries no event data and
 * a duplicate trigger is harmless. `fromSeq` (the first seq the change appended) is a hint of
 * where to start reading; without it the dispatcher starts from the configs' cursors.
 */
import type { RequestContext } from '../context';

export interface PushTrigger {
  taskChanged(ctx: RequestContext, taskId: string, fromSeq?: number): Promise<void>;
}
