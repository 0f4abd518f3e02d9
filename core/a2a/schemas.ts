/**
 * The A2A v1.0 data model as TypeBox schemas (ProtoJSON field names, lowerCamelCase).
 * Types are derived from these schemas (see types.ts); nothing is written twice.
 * Limits here are the gateway's own: they keep every item under DynamoDB's 400 KB.
 */
import { type TSchema, Type } from '@sinclair/typebox';
import { TASK_STATES } from './task-state';

const Id = Type.String({ minLength: 1, maxLength: 256 });
const Str = (max = 4096) => Type.String({ maxLength: max });
const opt = <T extends TSchema>(s: T) => Type.Optional(s);

export const Timestamp = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})$',
  maxLength: 40,
});
export const Metadata = Type.Record(Type.String(), Type.Unknown());

export const TaskStateSchema = Type.Union(TASK_STATES.map((s) => Type.Literal(s)));
export const RoleSchema = Type.Union([Type.Literal('ROLE_USER'), Type.Literal('ROLE_AGENT')]);

/** Exactly one of text/raw/url/data is enforced by validatePart (a schema oneOf gives poor errors). */
export const PartSchema = Type.Object({
  text: opt(Type.String()),
  raw: opt(Type.String({ pattern: '^[A-Za-z0-9+/_=-]*$' })),
  url: opt(Type.String({ minLength: 1, maxLength: 8192 })),
  data: opt(Type.Unknown()),
  mediaType: opt(Str(256)),
  filename: opt(Str(1024)),
  metadata: opt(Metadata),
});

export const MessageSchema = Type.Object({
  messageId: Id,
  contextId: opt(Id),
  taskId: opt(Id),
  role: RoleSchema,
  parts: Type.Array(PartSchema, { minItems: 1, maxItems: 256 }),
  metadata: opt(Metadata),
  extensions: opt(Type.Array(Str(2048), { maxItems: 64 })),
  referenceTaskIds: opt(Type.Array(Id, { maxItems: 64 })),
});

export const ArtifactSchema = Type.Object({
  artifactId: Id,
  name: opt(Str(1024)),
  description: opt(Str()),
  parts: Type.Array(PartSchema, { minItems: 1 }),
  metadata: opt(Metadata),
  extensions: opt(Type.Array(Str(2048))),
});

export const TaskStatusSchema = Type.Object({
  state: TaskStateSchema,
  message: opt(MessageSchema),
  timestamp: opt(Timestamp),
});

export const TaskSchema = Type.Object({
  id: Id,
  contextId: Id,
  status: TaskStatusSchema,
  artifacts: opt(Type.Array(ArtifactSchema)),
  history: opt(Type.Array(MessageSchema)),
  metadata: opt(Metadata),
});

export const TaskStatusUpdateEventSchema = Type.Object({
  taskId: Id,
  contextId: Id,
  status: TaskStatusSchema,
  metadata: opt(Metadata),
});

export const TaskArtifactUpdateEventSchema = Type.Object({
  taskId: Id,
  contextId: Id,
  artifact: ArtifactSchema,
  append: opt(Type.Boolean()),
  lastChunk: opt(Type.Boolean()),
  metadata: opt(Metadata),
});

export const AuthenticationInfoSchema = Type.Object({
  scheme: Type.String({ minLength: 1, maxLength: 64 }),
  credentials: opt(Str()),
});

const pushConfigFields = {
  tenant: opt(Str(256)),
  id: opt(Id),
  url: Type.String({ minLength: 1, maxLength: 2048 }),
  token: opt(Str()),
  authentication: opt(AuthenticationInfoSchema),
};

export const TaskPushNotificationConfigSchema = Type.Object({ ...pushConfigFields, taskId: Id });
/** Inline in SendMessage: taskId is left empty (the new task's id applies). */
export const InlinePushConfigSchema = Type.Object({ ...pushConfigFields, taskId: opt(Type.String()) });

const HistoryLength = Type.Integer({ minimum: 0, maximum: 10_000 });

export const SendMessageConfigurationSchema = Type.Object({
  acceptedOutputModes: opt(Type.Array(Str(256), { maxItems: 64 })),
  taskPushNotificationConfig: opt(InlinePushConfigSchema),
  historyLength: opt(HistoryLength),
  returnImmediately: opt(Type.Boolean()),
});

export const SendMessageRequestSchema = Type.Object({
  tenant: opt(Str(256)),
  message: MessageSchema,
  configuration: opt(SendMessageConfigurationSchema),
  metadata: opt(Metadata),
});

export const GetTaskRequestSchema = Type.Object({
  tenant: opt(Str(256)),
  id: Id,
  historyLength: opt(HistoryLength),
});

export const ListTasksRequestSchema = Type.Object({
  tenant: opt(Str(256)),
  contextId: opt(Id),
  status: opt(TaskStateSchema),
  pageSize: opt(Type.Integer({ minimum: 1, maximum: 100 })),
  pageToken: opt(Str(2048)),
  historyLength: opt(HistoryLength),
  statusTimestampAfter: opt(Timestamp),
  includeArtifacts: opt(Type.Boolean()),
});

export const CancelTaskRequestSchema = Type.Object({
  tenant: opt(Str(256)),
  id: Id,
  metadata: opt(Metadata),
});

export const SubscribeToTaskRequestSchema = Type.Object({ tenant: opt(Str(256)), id: Id });

export const TaskPushConfigRefSchema = Type.Object({ tenant: opt(Str(256)), taskId: Id, id: Id });

export const ListTaskPushConfigsRequestSchema = Type.Object({
  tenant: opt(Str(256)),
  taskId: Id,
  pageSize: opt(Type.Integer({ minimum: 1, maximum: 100 })),
  pageToken: opt(Str(2048)),
});

export const GetExtendedAgentCardRequestSchema = Type.Object({ tenant: opt(Str(256)) });
