/** What an agent runner (plain or graph) gets from runTask for one claimed run. */
import type { Message } from '../../core/a2a/types';
import type { RequestContext } from '../../core/context';
import type { Logger } from '../../core/ports/logger';
import type { TaskLog } from './task-log';

export interface RunContext {
  ctx: RequestContext;
  log: TaskLog;
  /** the user message this run answers: the newest user message in the history */
  message: Message;
  /** aborted when the task is canceled, ends elsewhere, or the lease is lost */
  signal: AbortSignal;
  logger: Logger;
  /** Between steps: throws RunCanceledError, LeaseLostError or TaskEndedElsewhereError when the run must stop. */
  checkBetweenSteps(): Promise<void>;
  /**
   * How long this invocation may still run (Lambda's remaining time; Infinity in a long-lived
   * process). A runner that waits on something slow ends its run in time with RunContinuesLaterError.
   */
  timeLeftMs(): number;
}
