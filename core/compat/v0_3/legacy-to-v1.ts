/**
 * Inbound 0.3 -> v1.0: validated 0.3 params become the v1.0 requests the use cases take.
 * - parts: TextPart -> {text}; FilePart {file:{bytes|uri, mimeType, name}} -> {raw|url, mediaType,
 *   filename}; DataPart -> {data} (a `{value}` wrapped with metadata.data_part_compat, as the
 *   official SDK sends non-object data, is unwrapped);
 * - roles user/agent -> ROLE_USER/ROLE_AGENT;
 * - `blocking` -> `returnImmediately` (inverted; unset = blocking, see README decisions);
 * - push `authentication.schemes[]` -> the single v1.0 `scheme` (the first one listed).
 */
import type {
  InlinePushConfig,
  Message,
  Part,
  SendMessageConfiguration,
  SendMessageRequest,
} from '../../a2a/types';
import { type FieldViolation, InvalidParamsError } from '../../errors';
import type {
  LegacyMessageInput,
  LegacyPartInput,
  LegacyPushConfigInput,
  LegacySendParams,
} from './legacy-schemas';

/** metadata flag of a DataPart whose non-object value is wrapped as `{value}` */
export const DATA_PART_COMPAT_FLAG = 'data_part_compat';

function throwIfAny(violations: FieldViolation[]): void {
  const first = violations[0];
  if (first) throw new InvalidParamsError(`Invalid ${first.field}: ${first.description}`, violations);
}

function withMetadata(part: Part, metadata: Record<string, unknown> | undefined): Part {
  if (metadata !== undefined && Object.keys(metadata).length > 0) part.metadata = metadata;
  return part;
}

export function legacyPartToV1(part: LegacyPartInput, field: string, violations: FieldViolation[]): Part {
  switch (part.kind) {
    case 'text':
      if (part.text === undefined)
        violations.push({ field: `${field}.text`, description: 'a text part needs text' });
      return withMetadata({ text: part.text ?? '' }, part.metadata);
    case 'file': {
      const file = part.file;
      if (!file || (file.bytes === undefined) === (file.uri === undefined)) {
        violations.push({
          field: `${field}.file`,
          description: 'a file part needs exactly one of file.bytes or file.uri',
        });
        return { text: '' };
      }
      const out: Part = file.bytes !== undefined ? { raw: file.bytes } : { url: file.uri as string };
      if (file.mimeType !== undefined) out.mediaType = file.mimeType;
      if (file.name !== undefined) out.filename = file.name;
      return withMetadata(out, part.metadata);
    }
    case 'data': {
      if (part.data === undefined) {
        violations.push({ field: `${field}.data`, description: 'a data part needs data' });
        return { text: '' };
      }
      const { [DATA_PART_COMPAT_FLAG]: wrapped, ...metadata } = part.metadata ?? {};
      const data = wrapped === true && 'value' in part.data ? part.data.value : part.data;
      return withMetadata({ data }, part.metadata === undefined ? undefined : metadata);
    }
  }
}

export function legacyMessageToV1(m: LegacyMessageInput, field = 'message'): Message {
  const violations: FieldViolation[] = [];
  const parts = m.parts.map((p, i) => legacyPartToV1(p, `${field}.parts[${i}]`, violations));
  throwIfAny(violations);
  const message: Message = {
    messageId: m.messageId,
    role: m.role === 'user' ? 'ROLE_USER' : 'ROLE_AGENT',
    parts,
  };
  if (m.contextId !== undefined) message.contextId = m.contextId;
  if (m.taskId !== undefined) message.taskId = m.taskId;
  if (m.metadata !== undefined) message.metadata = m.metadata;
  if (m.extensions !== undefined) message.extensions = m.extensions;
  if (m.referenceTaskIds !== undefined) message.referenceTaskIds = m.referenceTaskIds;
  return message;
}

/** The nested 0.3 config as a v1.0 one (taskId is set by the caller). */
export function legacyPushConfigToV1(c: LegacyPushConfigInput, field: string): InlinePushConfig {
  const out: InlinePushConfig = { url: c.url };
  if (c.id !== undefined) out.id = c.id;
  if (c.token !== undefined) out.token = c.token;
  if (c.authentication) {
    const [scheme] = c.authentication.schemes;
    if (scheme === undefined) {
      throwIfAny(
        c.authentication.credentials === undefined
          ? []
          : [
              {
                field: `${field}.authentication.schemes`,
                description: 'credentials need an authentication scheme',
              },
            ],
      );
    } else {
      out.authentication = { scheme };
      if (c.authentication.credentials !== undefined)
        out.authentication.credentials = c.authentication.credentials;
    }
  }
  return out;
}

export function legacySendToV1(p: LegacySendParams): SendMessageRequest {
  const req: SendMessageRequest = { message: legacyMessageToV1(p.message) };
  const c = p.configuration;
  if (c) {
    // 0.3 reference servers block unless `blocking: false`; so does v1.0 by default.
    const configuration: SendMessageConfiguration = { returnImmediately: c.blocking === false };
    if (c.acceptedOutputModes !== undefined) configuration.acceptedOutputModes = c.acceptedOutputModes;
    if (c.historyLength !== undefined) configuration.historyLength = c.historyLength;
    if (c.pushNotificationConfig) {
      configuration.taskPushNotificationConfig = legacyPushConfigToV1(
        c.pushNotificationConfig,
        'configuration.pushNotificationConfig',
      );
    }
    req.configuration = configuration;
  }
  if (p.metadata !== undefined) req.metadata = p.metadata;
  return req;
}
