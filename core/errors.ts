/**
 * Typed domain errors. Each has a stable `reason` (the ErrorInfo reason on the wire);
 * the edge maps reasons to JSON-RPC codes in one table (gateway/json-rpc/error-codes.ts).
 */
export interface FieldViolation {
  field: string;
  description: string;
}

export abstract class A2AError extends Error {
  abstract readonly reason: string;
  /** Extra ErrorInfo metadata (string map). Never put secrets here. */
  readonly metadata: Record<string, string>;
  constructor(message: string, options?: { cause?: unknown; metadata?: Record<string, string> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.metadata = options?.metadata ?? {};
  }
}

export class TaskNotFoundError extends A2AError {
  readonly reason = 'TASK_NOT_FOUND';
  constructor(taskId?: string) {
    super(taskId ? `Task ${taskId} was not found` : 'Task was not found', {
      metadata: taskId ? { taskId } : {},
    });
  }
}

export class TaskNotCancelableError extends A2AError {
  readonly reason = 'TASK_NOT_CANCELABLE';
  constructor(taskId: string, state: string) {
    super(`Task ${taskId} is in state ${state} and cannot be canceled`, { metadata: { taskId, state } });
  }
}

export class PushNotificationNotSupportedError extends A2AError {
  readonly reason = 'PUSH_NOTIFICATION_NOT_SUPPORTED';
  constructor() {
    super('Push notifications are not supported by this agent');
  }
}

export class UnsupportedOperationError extends A2AError {
  readonly reason = 'UNSUPPORTED_OPERATION';
}

export class ContentTypeNotSupportedError extends A2AError {
  readonly reason = 'CONTENT_TYPE_NOT_SUPPORTED';
}

export class InvalidAgentResponseError extends A2AError {
  readonly reason = 'INVALID_AGENT_RESPONSE';
}

export class ExtendedAgentCardNotConfiguredError extends A2AError {
  readonly reason = 'EXTENDED_AGENT_CARD_NOT_CONFIGURED';
  constructor() {
    super('No extended agent card is configured');
  }
}

export class ExtensionSupportRequiredError extends A2AError {
  readonly reason = 'EXTENSION_SUPPORT_REQUIRED';
}

export class VersionNotSupportedError extends A2AError {
  readonly reason = 'VERSION_NOT_SUPPORTED';
  constructor(version: string, supported: readonly string[]) {
    super(`A2A-Version ${JSON.stringify(version)} is not supported; supported: ${supported.join(', ')}`, {
      metadata: { requested: version, supported: supported.join(',') },
    });
  }
}

/**
 * A tenant has as many tasks waiting for a worker as it may (UseCaseSettings.maxQueuedTasksPerTenant).
 * The edge answers -32603 RESOURCE_EXHAUSTED with HTTP 429 and Retry-After, like an overloaded tenant.
 */
export class TenantQueueFullError extends A2AError {
  readonly reason = 'RESOURCE_EXHAUSTED';
  constructor(
    readonly limit: number,
    readonly retryAfterSeconds: number,
  ) {
    super(
      `Too many tasks are waiting for a worker for this tenant (the limit is ${limit}); retry after ${retryAfterSeconds} s`,
      { metadata: { limit: String(limit), retryAfterSeconds: String(retryAfterSeconds) } },
    );
  }
}

/** -32602. Carries BadRequest field violations. */
export class InvalidParamsError extends A2AError {
  readonly reason = 'INVALID_PARAMS';
  readonly violations: FieldViolation[];
  constructor(message: string, violations: FieldViolation[] = []) {
    super(message);
    this.violations = violations;
  }
}

/** A version condition failed: another writer got there first. Callers retry or report it. */
export class VersionConflictError extends Error {
  override readonly name = 'VersionConflictError';
  constructor(
    readonly taskId: string,
    readonly expectedVersion: number,
    options?: { cause?: unknown },
  ) {
    super(`Task ${taskId} changed concurrently (expected version ${expectedVersion})`, options);
  }
}

/** A transient infrastructure failure (throttling, timeouts): safe to retry. */
export class RetryableError extends Error {
  override readonly name: string = 'RetryableError';
}

/** The stored item would exceed the store's item size limit. */
export class ItemTooLargeError extends Error {
  override readonly name = 'ItemTooLargeError';
  constructor(
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(`Item of ${bytes} bytes exceeds the ${limit} byte limit`);
  }
}
