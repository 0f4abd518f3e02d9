/**
 * A2A 0.3 JSON-RPC params as TypeBox schemas (the `kind`-discriminated shapes of the 0.3 JSON
 * Schema). Only what the gateway reads: validated here, then translated to the v1.0 requests
 * (legacy-to-v1.ts). Limits match core/a2a/schemas.ts.
 */
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { Metadata } from '../../a2a/schemas';

const Id = Type.String({ minLength: 1, maxLength: 256 });
const Str = (max = 4096) => Type.String({ maxLength: max });
const opt = <T extends TSchema>(s: T) => Type.Optional(s);
const HistoryLength = Type.Integer({ minimum: 0, maximum: 10_000 });

export const LEGACY_PART_KINDS = ['text', 'file', 'data'] as const;

export const LegacyFileSchema = Type.Object({
  bytes: opt(Type.String({ pattern: '^[A-Za-z0-9+/_=-]*$' })),
  uri: opt(Type.String({ minLength: 1, maxLength: 8192 })),
  mimeType: opt(Str(256)),
  name: opt(Str(1024)),
});

/** Which member a kind needs is checked by legacyPartToV1 (a oneOf gives poor errors). */
export const LegacyPartSchema = Type.Object({
  kind: Type.Union(LEGACY_PART_KINDS.map((k) => Type.Literal(k))),
  text: opt(Type.String()),
  file: opt(LegacyFileSchema),
  data: opt(Metadata),
  metadata: opt(Metadata),
});

export const LegacyMessageSchema = Type.Object({
  kind: opt(Type.Literal('message')),
  messageId: Id,
  contextId: opt(Id),
  taskId: opt(Id),
  role: Type.Union([Type.Literal('user'), Type.Literal('agent')]),
  parts: Type.Array(LegacyPartSchema, { minItems: 1, maxItems: 256 }),
  metadata: opt(Metadata),
  extensions: opt(Type.Array(Str(2048), { maxItems: 64 })),
  referenceTaskIds: opt(Type.Array(Id, { maxItems: 64 })),
});

export const LegacyAuthenticationSchema = Type.Object({
  schemes: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 16 }),
  credentials: opt(Str()),
});

export const LegacyPushConfigSchema = Type.Object({
  id: opt(Id),
  url: Type.String({ minLength: 1, maxLength: 2048 }),
  token: opt(Str()),
  authentication: opt(LegacyAuthenticationSchema),
});

export const LegacySendParamsSchema = Type.Object({
  message: LegacyMessageSchema,
  configuration: opt(
    Type.Object({
      acceptedOutputModes: opt(Type.Array(Str(256), { maxItems: 64 })),
      blocking: opt(Type.Boolean()),
      historyLength: opt(HistoryLength),
      pushNotificationConfig: opt(LegacyPushConfigSchema),
    }),
  ),
  metadata: opt(Metadata),
});

export const LegacyTaskQuerySchema = Type.Object({
  id: Id,
  historyLength: opt(HistoryLength),
  metadata: opt(Metadata),
});

export const LegacyTaskIdSchema = Type.Object({ id: Id, metadata: opt(Metadata) });

export const LegacySetPushConfigSchema = Type.Object({
  taskId: Id,
  pushNotificationConfig: LegacyPushConfigSchema,
});

export const LegacyGetPushConfigSchema = Type.Object({
  id: Id,
  pushNotificationConfigId: opt(Id),
  metadata: opt(Metadata),
});

export const LegacyDeletePushConfigSchema = Type.Object({
  id: Id,
  pushNotificationConfigId: Id,
  metadata: opt(Metadata),
});

export const LegacyNoParamsSchema = Type.Object({});

export type LegacyPartInput = Static<typeof LegacyPartSchema>;
export type LegacyMessageInput = Static<typeof LegacyMessageSchema>;
export type LegacyPushConfigInput = Static<typeof LegacyPushConfigSchema>;
export type LegacySendParams = Static<typeof LegacySendParamsSchema>;
