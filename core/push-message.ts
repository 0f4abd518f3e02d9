/** The body of a push-queue message: "this task's log moved; deliver what its configs have not seen". */
import { Type } from '@sinclair/typebox';
import { compileValidator } from './validation/validator';

export const PushMessageSchema = Type.Object({
  v: Type.Literal(1),
  kind: Type.Literal('push'),
  tenant: Type.String({ minLength: 1, maxLength: 256 }),
  taskId: Type.String({ minLength: 1, maxLength: 256 }),
  /** the first seq the commit that sent it appended: where the dispatcher starts reading */
  fromSeq: Type.Optional(Type.Integer({ minimum: 1 })),
});
export interface PushMessage {
  v: 1;
  kind: 'push';
  tenant: string;
  taskId: string;
  fromSeq?: number;
}

const validator = compileValidator(PushMessageSchema);

/** Throws InvalidParamsError for a body that is not a push message. */
export function parsePushMessage(body: string): PushMessage {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  return validator.parse(json, 'body');
}
