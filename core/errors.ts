/**
 * Typed domain errors. Each has a stable `reason` (the ErrorInfo reason on the wire);
 * the edge maps reasons to JSON-RPC codes in one table (gateway/json-rpc/error-codes.ts).
 */
export interface FieldViolation {
  field: string;
  description: string;
}

/**
 * Every ErrorInfo reason an A2AError carries: one per class, stable on the wire. The edge's table
 * (gateway/json-rpc/error-codes.ts) is typed over this union, so a new reason cannot go unmapped.
 */
export const A2AErrorReason = {
  TaskNotFound: 'TASK_NOT_FOUND',
  TaskNotCancelable: 'TASK_NOT_CANCELABLE',
  PushNotificationNotSupported: 'PUSH_NOTIFICATION_NOT_SUPPORTED',
  UnsupportedOperation: 'UNSUPPORTED_OPERATION',
  ContentTypeNotSupported: 'CONTENT_TYPE_NOT_SUPPORTED',
  InvalidAgentResponse: 'INVALID_AGENT_RESPONSE',
  ExtendedAgentCardNotConfigured: 'EXTENDED_AGENT_CARD_NOT_CONFIGURED',
  ExtensionSupportRequired: 'EXTENSION_SUPPORT_REQUIRED',
  VersionNotSupported: 'VERSION_NOT_SUPPORTED',
  PermissionDenied: 'PERMISSION_DENIED',
  ResourceExhausted: 'RESOURCE_EXHAUSTED',
  InvalidParams: 'INVALID_PARAMS',
  PushConfigLimitExceeded: 'PUSH_CONFIG_LIMIT_EXCEEDED',
  PushConfigNotOwned: 'PUSH_CONFIG_NOT_OWNED',
} as const;
export type A2AErrorReason = (typeof A2AErrorReason)[keyof typeof A2AErrorReason];

export abstract class A2AError extends Error {
  /**
   * Each class says its own name: the Lambda bundles are minified without keepNames (README
   * decision 87), so `new.target.name` would be a minified one in their logs.
   */
  abstract override readonly name: string;
  abstract readonly reason: A2AErrorReason;
  /** Extra ErrorInfo metadata (string map). Never put secrets here. */
  readonly metadata: Record<string, string>;
  constructor(message: string, options?: { cause?: unknown; metadata?: Record<string, string> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.metadata = options?.metadata ?? {};
  }
}

export class TaskNotFoundError extends A2AError {
  override readonly name: string = 'TaskNotFoundError';
  readonly reason = 'TASK_NOT_FOUND';
  constructor(taskId?: string) {
    super(taskId ? `Task ${taskId} was not found` : 'Task was not found', {
      metadata: taskId ? { taskId } : {},
    });
  }
}

export class TaskNotCancelableError extends A2AError {
  override readonly name: string = 'TaskNotCancelableError';
  readonly reason = 'TASK_NOT_CANCELABLE';
  constructor(taskId: string, state: string) {
    super(`Task ${taskId} is in state ${state} and cannot be canceled`, { metadata: { taskId, state } });
  }
}

export class PushNotificationNotSupportedError extends A2AError {
  override readonly name: string = 'PushNotificationNotSupportedError';
  readonly reason = 'PUSH_NOTIFICATION_NOT_SUPPORTED';
  constructor() {
    super('Push notifications are not supported by this agent');
  }
}

export class UnsupportedOperationError extends A2AError {
  override readonly name: string = 'UnsupportedOperationError';
  readonly reason = 'UNSUPPORTED_OPERATION';
}

export class ContentTypeNotSupportedError extends A2AError {
  override readonly name: string = 'ContentTypeNotSupportedError';
  readonly reason = 'CONTENT_TYPE_NOT_SUPPORTED';
}

export class InvalidAgentResponseError extends A2AError {
  override readonly name: string = 'InvalidAgentResponseError';
  readonly reason = 'INVALID_AGENT_RESPONSE';
}

export class ExtendedAgentCardNotConfiguredError extends A2AError {
  override readonly name: string = 'ExtendedAgentCardNotConfiguredError';
  readonly reason = 'EXTENDED_AGENT_CARD_NOT_CONFIGURED';
  constructor() {
    super('No extended agent card is configured');
  }
}

export class ExtensionSupportRequiredError extends A2AError {
  override readonly name: string = 'ExtensionSupportRequiredError';
  readonly reason = 'EXTENSION_SUPPORT_REQUIRED';
}

export class VersionNotSupportedError extends A2AError {
  override readonly name: string = 'VersionNotSupportedError';
  readonly reason = 'VERSION_NOT_SUPPORTED';
  constructor(version: string, supported: readonly string[]) {
    super(`A2A-Version ${JSON.stringify(version)} is not supported; supported: ${supported.join(', ')}`, {
      metadata: { requested: version, supported: supported.join(',') },
    });
  }
}

/**
 * The caller's token lacks what the call needs: a method scope, or the `agent:<id>` scope of the
 * agent it addresses. The edge answers it as it answers its own scope checks (HTTP 403).
 */
export class PermissionDeniedError extends A2AError {
  override readonly name: string = 'PermissionDeniedError';
  readonly reason = 'PERMISSION_DENIED';
  constructor(readonly scope: string) {
    super(`The token lacks the scope ${scope}`, { metadata: { scope } });
  }
}

/**
 * A tenant has as many tasks waiting for a worker as it may (UseCaseSettings.maxQueuedTasksPerTenant).
 * The edge answers -32603 RESOURCE_EXHAUSTED with HTTP 429 and Retry-After, like an overloaded tenant.
 */
export class TenantQueueFullError extends A2AError {
  override readonly name: string = 'TenantQueueFullError';
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
  override readonly name: string = 'InvalidParamsError';
  readonly reason: A2AErrorReason = A2AErrorReason.InvalidParams;
  readonly violations: FieldViolation[];
  constructor(message: string, violations: FieldViolation[] = [], metadata?: Record<string, string>) {
    super(message, metadata ? { metadata } : undefined);
    this.violations = violations;
  }
}

/**
 * -32602 with its own ErrorInfo reason: the task already has as many push configs as allowed.
 * A2A has no quota error; the request is refused as given, and the caller can delete a config
 * or replace one of its own (same id).
 */
export class PushConfigLimitError extends InvalidParamsError {
  override readonly name: string = 'PushConfigLimitError';
  override readonly reason = 'PUSH_CONFIG_LIMIT_EXCEEDED';
  constructor(taskId: string, limit: number) {
    super(
      `Task ${taskId} already has ${limit} push notification configs, the most allowed; delete one or replace one of yours by its id`,
      [],
      { taskId, limit: String(limit) },
    );
  }
}

/**
 * -32602 with its own ErrorInfo reason: the config id belongs to another subject of the tenant,
 * who alone may replace or delete it. The caller can see the config (Get/List), so "not found"
 * would contradict what it reads; the violation tells it to choose another id.
 */
export class PushConfigNotOwnedError extends InvalidParamsError {
  override readonly name: string = 'PushConfigNotOwnedError';
  override readonly reason = 'PUSH_CONFIG_NOT_OWNED';
  constructor(taskId: string, configId: string) {
    super(
      `Push notification config ${configId} of task ${taskId} was registered by another subject; only its owner may replace or delete it`,
      [{ field: 'id', description: 'registered by another subject: choose another id' }],
      { taskId, configId },
    );
  }
}

/** A version condition failed: another writer got there first. Callers retry or report it. */
export class VersionConflictError extends Error {
  override readonly name = 'VersionConflictError';
  static readonly code = 'ERR_VERSION_CONFLICT';
  readonly code = VersionConflictError.code;
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
  static readonly code: string = 'ERR_RETRYABLE';
  readonly code: string = 'ERR_RETRYABLE';
}

/** The stored item would exceed the store's item size limit. */
export class ItemTooLargeError extends Error {
  override readonly name = 'ItemTooLargeError';
  static readonly code = 'ERR_ITEM_TOO_LARGE';
  readonly code = ItemTooLargeError.code;
  constructor(
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(`Item of ${bytes} bytes exceeds the ${limit} byte limit`);
  }
}
