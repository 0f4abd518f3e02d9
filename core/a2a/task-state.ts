/** A2A v1.0 task states (ProtoJSON enum names) and the one transition table. */
export const TaskState = {
  Submitted: 'TASK_STATE_SUBMITTED',
  Working: 'TASK_STATE_WORKING',
  InputRequired: 'TASK_STATE_INPUT_REQUIRED',
  AuthRequired: 'TASK_STATE_AUTH_REQUIRED',
  Completed: 'TASK_STATE_COMPLETED',
  Failed: 'TASK_STATE_FAILED',
  Canceled: 'TASK_STATE_CANCELED',
  Rejected: 'TASK_STATE_REJECTED',
} as const;
export type TaskState = (typeof TaskState)[keyof typeof TaskState];

export const TASK_STATES: readonly TaskState[] = Object.values(TaskState);

const TERMINAL: ReadonlySet<TaskState> = new Set([
  TaskState.Completed,
  TaskState.Failed,
  TaskState.Canceled,
  TaskState.Rejected,
]);
const INTERRUPTED: ReadonlySet<TaskState> = new Set([TaskState.InputRequired, TaskState.AuthRequired]);

export const isTerminal = (s: TaskState): boolean => TERMINAL.has(s);
export const isInterrupted = (s: TaskState): boolean => INTERRUPTED.has(s);
/** A blocking SendMessage returns once the task is terminal or interrupted. */
export const isSettled = (s: TaskState): boolean => TERMINAL.has(s) || INTERRUPTED.has(s);

const ANY_END = [TaskState.Completed, TaskState.Failed, TaskState.Canceled, TaskState.Rejected] as const;

/** from -> allowed next states. Terminal states allow nothing: terminal tasks are immutable. */
const TRANSITIONS: Record<TaskState, readonly TaskState[]> = {
  [TaskState.Submitted]: [TaskState.Working, TaskState.InputRequired, TaskState.AuthRequired, ...ANY_END],
  [TaskState.Working]: [TaskState.Working, TaskState.InputRequired, TaskState.AuthRequired, ...ANY_END],
  // A follow-up message moves an interrupted task back to SUBMITTED (queued) and then WORKING.
  [TaskState.InputRequired]: [TaskState.Submitted, TaskState.Working, ...ANY_END],
  [TaskState.AuthRequired]: [TaskState.Submitted, TaskState.Working, ...ANY_END],
  [TaskState.Completed]: [],
  [TaskState.Failed]: [],
  [TaskState.Canceled]: [],
  [TaskState.Rejected]: [],
};

export const canTransition = (from: TaskState, to: TaskState): boolean => TRANSITIONS[from].includes(to);

/** 0.3 wire names, used by the compat layer. */
export const LEGACY_STATE: Record<TaskState, string> = {
  [TaskState.Submitted]: 'submitted',
  [TaskState.Working]: 'working',
  [TaskState.InputRequired]: 'input-required',
  [TaskState.AuthRequired]: 'auth-required',
  [TaskState.Completed]: 'completed',
  [TaskState.Failed]: 'failed',
  [TaskState.Canceled]: 'canceled',
  [TaskState.Rejected]: 'rejected',
};
